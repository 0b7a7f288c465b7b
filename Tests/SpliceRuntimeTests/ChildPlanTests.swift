import FoundationEssentials
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
        let index = { (name: String) throws -> Int in
            try #require(steps.firstIndex { $0.hasPrefix(name) }, "a step starts with \(name)")
        }
        #expect(try index("unshare") < index("make / private"))
        #expect(try index("make / private") < index("mount bind /r on /r"))
        #expect(try index("mount proc") < index("pivot_root /r"))
        #expect(try index("mount bind /s/hosts on /r/etc/hosts") < index("pivot_root"))
        #expect(try index("pivot_root") < index("mask /proc/kcore"))
        #expect(try index("read-only /proc/sys") < index("sethostname"))
        #expect(try index("install seccomp filter") < index("setuid 0"))
        #expect(steps.last == "exec sh")
        #expect(!steps.contains { $0.hasPrefix("setns") })
    }

    @Test("the daemon's compiled default filter is used for the capability set it was built for, and only that")
    func compiledSeccomp() throws {
        let plan = { (spec: ContainerSpec) throws -> ChildPlan in
            try ChildPlan(spec: spec, state: StateDirectory("/s"), stdio: [0, 1, 2], network: nil)
        }
        var spec = ContainerSpec(id: "p", command: ["sh"], rootfs: .directory(path: "/r"), hostname: "h")
        let built = try plan(spec).seccompProgram
        #expect(!built.isEmpty)
        let daemons = try #require(CompiledSeccomp.dockerDefault(for: .default, capAdd: [], capDrop: [],
                                                                       privileged: false))
        #expect([UInt8](daemons.program) == built, "the daemon builds the program the monitor would")
        // A stand-in program shows which one the plan took.
        spec.compiledSeccomp = CompiledSeccomp(capabilities: daemons.capabilities, program: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try plan(spec).seccompProgram == [1, 2, 3, 4, 5, 6, 7, 8])
        spec.compiledSeccomp = CompiledSeccomp(capabilities: daemons.capabilities ^ 1, program: [1, 2, 3, 4])
        #expect(try plan(spec).seccompProgram == built, "built for other capabilities: the plan builds its own")
        spec.compiledSeccomp = CompiledSeccomp(capabilities: daemons.capabilities, program: [1, 2, 3, 4])
        spec.seccomp = .unconfined
        #expect(try plan(spec).seccompProgram.isEmpty)
        #expect(CompiledSeccomp.dockerDefault(for: .default, capAdd: [], capDrop: [], privileged: true) == nil)
        #expect(CompiledSeccomp.dockerDefault(for: .unconfined, capAdd: [], capDrop: [], privileged: false) == nil)
        let decoded = try ContainerSpec.decode(Array(JSONEncoder().encode(spec)))
        #expect(decoded.compiledSeccomp == spec.compiledSeccomp)
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

    @Test("cgroups are joined before anything else")
    func cgroupsFirst() throws {
        let steps = try steps {
            $0.cgroupProcs = ["/sys/fs/cgroup/pids/c/cgroup.procs", "/sys/fs/cgroup/memory/c/cgroup.procs"]
        }
        #expect(Array(steps.prefix(3)) == [
            "join cgroup /sys/fs/cgroup/pids/c/cgroup.procs", "join cgroup /sys/fs/cgroup/memory/c/cgroup.procs",
            "dup2 stdio",
        ])
    }

    @Test("a TTY is opened after pivot_root, in the container's /dev/pts, and made the controlling terminal")
    func terminal() throws {
        var spec = ContainerSpec(id: "p", command: ["sh"], rootfs: .directory(path: "/r"), hostname: "h", tty: true)
        spec.consoleSize = TerminalSize(rows: 30, columns: 100)
        let plan = try ChildPlan(
            spec: spec, state: StateDirectory("/s"), stdio: [0, 0, 0], network: nil, terminalSocket: 9)
        let steps = plan.steps.indices.map { plan.describe(step: Int32($0)) }
        let index = { (name: String) throws -> Int in
            try #require(steps.firstIndex { $0.hasPrefix(name) }, "a step starts with \(name)")
        }
        #expect(try index("reset signals, setsid") < index("pivot_root"))
        #expect(try index("pivot_root") < index("open /dev/ptmx"))
        #expect(try index("open /dev/ptmx") + 1 == index("ioctl TIOCSCTTY"))
        #expect(try index("ioctl TIOCSCTTY") < index("setuid"))
        let open = plan.steps.compactMap { step -> [UInt16]? in
            guard case .openTerminal(let socket, let rows, let columns) = step, socket == 9 else { return nil }
            return [rows, columns]
        }
        #expect(open == [[30, 100]])
        #expect(!(try self.steps()).contains("open /dev/ptmx"))
    }

    @Test("an exec's plan: chdir, terminal, credentials, exec, and nothing of the container's setup")
    func execPlan() throws {
        let plan = try ChildPlan(exec: ExecSpec(command: ["ls"], workingDirectory: "/tmp", user: "1000", tty: true),
                                 hostname: "h", terminalSocket: 4)
        let steps = plan.steps.indices.map { plan.describe(step: Int32($0)) }
        #expect(Array(steps.prefix(4)) == ["reset signals, setsid", "chdir /tmp", "open /dev/ptmx", "ioctl TIOCSCTTY"])
        #expect(steps.contains("setuid 1000") && steps.last == "exec ls")
        #expect(!steps.contains { $0.hasPrefix("mount") || $0.hasPrefix("pivot_root") || $0.hasPrefix("unshare") })
    }

    @Test("bad specs are refused before anything runs")
    func refused() {
        #expect(throws: RuntimeError.self) { try steps { $0.command = [] } }
        #expect(throws: RuntimeError.self) { try steps { $0.workingDirectory = "relative" } }
        #expect(throws: RuntimeError.self) { try steps { $0.mounts = [BindMount(source: "/tmp", target: "/a/../b")] } }
        #expect(throws: RuntimeError.self) { try steps { $0.rootfs = .overlay(lower: ["/a,b"], upper: "/u", work: "/w") } }
    }
}
