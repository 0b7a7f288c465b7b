import Glibc
import Testing
@testable import SpliceRuntime

@Suite("The plan between fork and exec")
struct ChildPlanTests {
    private func steps(_ configure: (inout ContainerSpec) -> Void = { _ in }) throws -> [String] {
        var spec = ContainerSpec(id: "p", command: ["sh"], rootfs: .directory(path: "/r"), hostname: "h")
        configure(&spec)
        let plan = try ChildPlan(spec: spec, state: StateDirectory("/s"), stdio: [0, 1, 2], network: nil)
        return plan.steps.indices.map { plan.describe(step: Int32($0)) }
    }

    @Test("mounts come before pivot_root, masking after it, exec last")
    func order() throws {
        let steps = try steps()
        let index = { (name: String) in steps.firstIndex { $0.hasPrefix(name) } ?? -1 }
        #expect(index("unshare") < index("make / private"))
        #expect(index("make / private") < index("mount bind /r on /r"))
        #expect(index("mount proc") < index("pivot_root /r"))
        #expect(index("mount bind /s/hosts on /r/etc/hosts") < index("pivot_root"))
        #expect(index("pivot_root") < index("mask /proc/kcore"))
        #expect(index("read-only /proc/sys") < index("sethostname"))
        #expect(index("install seccomp filter") < index("setuid 0"))
        #expect(steps.last == "exec sh")
        #expect(!steps.contains { $0.hasPrefix("setns") })
    }

    @Test("privileged skips masking and seccomp; no_new_privs moves seccomp last")
    func variants() throws {
        let privileged = try steps { $0.privileged = true }
        #expect(!privileged.contains { $0.hasPrefix("mask") || $0.hasPrefix("install seccomp") })
        let strict = try steps { $0.noNewPrivileges = true }
        #expect(Array(strict.suffix(3)) == ["prctl PR_SET_NO_NEW_PRIVS", "install seccomp filter", "exec sh"])
        let unconfined = try steps { $0.seccomp = .unconfined }
        #expect(!unconfined.contains("install seccomp filter"))
    }

    @Test("bind mounts create their targets and remount read-only when asked")
    func bindMounts() throws {
        let steps = try steps { $0.mounts = [BindMount(source: "/tmp", target: "/data/cache", readOnly: true)] }
        #expect(steps.contains("mkdir /r/data") && steps.contains("mkdir /r/data/cache"))
        #expect(steps.contains("mount bind /tmp on /r/data/cache"))
        #expect(steps.contains("remount /data/cache read-only"))
    }

    @Test("capabilities outside the default set leave the bounding set")
    func bounding() throws {
        let steps = try steps()
        #expect(steps.contains("drop capability CAP_SYS_ADMIN from the bounding set"))
        // Only what the monitor holds can be kept, so a non-root test run drops everything.
        if geteuid() == 0 { #expect(!steps.contains("drop capability CAP_CHOWN from the bounding set")) }
    }

    @Test("bad specs are refused before anything runs")
    func refused() {
        #expect(throws: RuntimeError.self) { try steps { $0.command = [] } }
        #expect(throws: RuntimeError.self) { try steps { $0.workingDirectory = "relative" } }
        #expect(throws: RuntimeError.self) { try steps { $0.mounts = [BindMount(source: "/tmp", target: "/a/../b")] } }
        #expect(throws: RuntimeError.self) { try steps { $0.rootfs = .overlay(lower: ["/a,b"], upper: "/u", work: "/w") } }
    }
}
