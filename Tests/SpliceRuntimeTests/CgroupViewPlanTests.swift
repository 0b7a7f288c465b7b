import Glibc
import Testing
@testable import SpliceRuntime

/// The container's view of its own cgroup, tmpfs options, `--init` and `--uts=host` in the plan between fork and exec.
@Suite("cgroup view, tmpfs, init and host UTS in the plan")
struct CgroupViewPlanTests {
    private func steps(_ configure: (inout ContainerSpec) -> Void) throws -> [String] {
        var spec = ContainerSpec(id: "p", command: ["sh"], rootfs: .directory(path: "/r"), hostname: "h")
        configure(&spec)
        let plan = try ChildPlan(spec: spec, state: StateDirectory("/s"), stdio: [0, 1, 2], network: nil)
        return plan.steps.indices.map { plan.describe(step: Int32($0)) }
    }

    @Test("v1 co-mounted controllers get one directory named as the host's mount and links; v2 a namespace")
    func views() throws {
        let v1 = try CgroupHierarchy.parse(mountinfo: CgroupHierarchyTests.v1Mountinfo, cgroups: "")
        let view = try ContainerCgroup(id: "c1", hierarchy: v1).view
        #expect(view == .v1([
            CgroupView.Hierarchy(name: "my memory", source: "/sys/fs/cgroup/my memory/splice/c1", aliases: ["memory"]),
            CgroupView.Hierarchy(name: "cpu,cpuacct", source: "/sys/fs/cgroup/cpu,cpuacct/splice/c1",
                                 aliases: ["cpu", "cpuacct"]),
        ]))
        let v2 = CgroupHierarchy(mode: .v2, v1Mounts: [:], unifiedMount: "/sys/fs/cgroup", blkioWeightFile: nil)
        #expect(try ContainerCgroup(id: "c1", hierarchy: v2).view == .unified(source: "/sys/fs/cgroup/splice/c1"))
    }

    @Test("v1: a tmpfs, a bind per hierarchy remounted read-only, links; --privileged keeps them writable")
    func v1Steps() throws {
        let view = CgroupView.v1([CgroupView.Hierarchy(name: "cpu,cpuacct", source: "/sys/fs/cgroup/cpu,cpuacct/x",
                                                       aliases: ["cpu", "cpuacct"])])
        let plan = try steps { $0.cgroupView = view }
        let index = { (name: String) in plan.firstIndex(of: name) ?? plan.count }
        #expect(index("mount sysfs sysfs on /r/sys") < index("mount tmpfs tmpfs on /r/sys/fs/cgroup"))
        #expect(index("mount tmpfs tmpfs on /r/sys/fs/cgroup") < index("mkdir /r/sys/fs/cgroup/cpu,cpuacct"))
        #expect(plan.contains("mount bind /sys/fs/cgroup/cpu,cpuacct/x on /r/sys/fs/cgroup/cpu,cpuacct"))
        #expect(plan.contains("symlink /r/sys/fs/cgroup/cpu") && plan.contains("symlink /r/sys/fs/cgroup/cpuacct"))
        #expect(index("remount /r/sys/fs/cgroup") < index("pivot_root /r"))
        #expect(!plan.contains { $0.contains("cgroup2") })
        let unified = try steps {
            $0.cgroupView = .unified(source: "/sys/fs/cgroup/splice/x")
            $0.privateCgroupNamespace = true
        }
        #expect(unified.contains("mount cgroup2 cgroup on /r/sys/fs/cgroup"))
        let unshare = try #require(unified.first { $0.hasPrefix("unshare") })
        // CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP
        #expect(unshare == "unshare namespaces e020000")
        // The host's cgroup namespace on v2: a bind of the container's directory, no namespace.
        let bound = try steps { $0.cgroupView = .unified(source: "/sys/fs/cgroup/splice/x") }
        #expect(bound.contains("mount bind /sys/fs/cgroup/splice/x on /r/sys/fs/cgroup"))
        #expect(bound.first { $0.hasPrefix("unshare") } == "unshare namespaces c020000")
    }

    @Test("tmpfs options: Docker's defaults, flags and data apart, unknown words refused")
    func tmpfsOptions() throws {
        let plain = try TmpfsMount(target: "/t").mountArguments()
        #expect(plain.flags == MS_NOEXEC | MS_NOSUID | MS_NODEV && plain.data.isEmpty)
        let custom = try TmpfsMount(target: "/t", options: "exec,ro,size=64m,mode=1770").mountArguments()
        #expect(custom.flags == MS_NOSUID | MS_NODEV | MS_RDONLY && custom.data == "size=64m,mode=1770")
        #expect(throws: RuntimeError.invalidSpec("invalid tmpfs option [\"bogus\"]")) {
            try TmpfsMount(target: "/t", options: "bogus").mountArguments()
        }
        let plan = try steps { $0.tmpfs = [TmpfsMount(target: "/run/x", options: "size=1m")] }
        #expect(plan.contains("mkdir /r/run") && plan.contains("mount tmpfs tmpfs on /r/run/x"))
    }

    @Test("--init mounts the init read-only and runs it with the command; --uts=host keeps the hostname")
    func initAndUTS() throws {
        let plan = try steps {
            $0.initBinary = "/usr/local/bin/splice-init"
            $0.hostUTS = true
        }
        #expect(plan.contains("mount bind /usr/local/bin/splice-init on /r/sbin/docker-init"))
        #expect(plan.contains("remount /sbin/docker-init read-only"))
        #expect(plan.last == "exec /sbin/docker-init")
        #expect(!plan.contains("sethostname"))
        let unshare = try #require(plan.first { $0.hasPrefix("unshare") })
        #expect(unshare == "unshare namespaces 8020000")  // CLONE_NEWNS | CLONE_NEWIPC
    }

    @Test("device cgroup rules parse as dockerd's")
    func deviceCgroupRules() throws {
        #expect(try DeviceRule.parseCgroupRule("c 1:11 rw").cgroupV1Line == "c 1:11 rw")
        #expect(try DeviceRule.parseCgroupRule("a *:* rwm").cgroupV1Line == "a")
        #expect(try DeviceRule.parseCgroupRule("b 8:* m").cgroupV1Line == "b 8:* m")
        for bad in ["c 1:x rw", "x 1:1 r", "c 1 r", "c 1:1 q", "c 1:1"] {
            #expect(throws: CgroupError.self) { try DeviceRule.parseCgroupRule(bad) }
        }
    }
}
