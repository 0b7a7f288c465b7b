import Foundation
import Glibc
import SpliceRuntime
import TestSupport
import Testing

/// `--cgroup-parent`, `--blkio-weight-device` and `docker update` of real-time budgets and kernel memory, with the
/// real docker CLI and `splice` against `spliced`.
@Suite("cgroup parent, block I/O weights and updates against spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct CgroupParentTests {
    /// The host's cgroup layout.
    static let hierarchy = try? CgroupHierarchy.current()

    /// Whether the memory controller has a v1 hierarchy (this host is hybrid).
    static let hasV1Memory = hierarchy?.v1Mounts["memory"] != nil

    /// Removes the test's parent cgroup `levels` (deepest first) from every hierarchy; missing ones are fine.
    static func removeParent(_ levels: [String]) {
        guard let hierarchy else { return }
        let mounts = Set(hierarchy.v1Mounts.values).union(hierarchy.unifiedMount.map { [$0] } ?? [])
        for mount in mounts {
            for level in levels { rmdir("\(mount)/\(level)") }
        }
    }

    @Test(.enabled(if: hasV1Memory, "the host has no cgroup v1 memory hierarchy"))
    func containerLivesUnderItsCgroupParent() throws {
        let lab = try DaemonLab("cgpar")
        let top = "splice-test-parent-\(getpid())"
        defer { Self.removeParent(["\(top)/jobs", top, "\(top)-rel"]) }
        let created = try lab.docker(["create", "--net=none", "--cgroup-parent", "/\(top)/jobs", "-m", "64m", "bb",
                                      "sh", "-c", "cat /proc/self/cgroup /sys/fs/cgroup/memory/memory.limit_in_bytes"])
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let started = try lab.docker(["start", "-a", id])
        // The container's own view: every hierarchy places it at <parent>/<id>, and it reads its limit there.
        #expect(started.stdout.contains(":memory:/\(top)/jobs/\(id)\n"), "\(started.stdout)\(started.stderr)")
        #expect(started.stdout.hasSuffix("67108864\n"), "\(started.stdout)")
        let parent = try lab.docker(["inspect", "-f", "{{.HostConfig.CgroupParent}}", id])
        #expect(parent.stdout == "/\(top)/jobs\n", "\(parent.stdout)\(parent.stderr)")
        _ = try lab.docker(["rm", id])

        // A running one: its cgroup is on the host under the parent, pause freezes it there, and its exit removes
        // the container's cgroup and keeps the parent, as dockerd does.
        let memoryMount = try #require(Self.hierarchy?.v1Mounts["memory"])
        let running = try lab.splice(["run", "-d", "--net=none", "--cgroup-parent", "\(top)-rel", "-m", "32m", "bb",
                                      "sleep", "30"])
        let runningID = running.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(running.status == 0 && !runningID.isEmpty, "\(running.stderr)")
        let limitFile = "\(memoryMount)/\(top)-rel/\(runningID)/memory.limit_in_bytes"
        #expect((try? String(contentsOfFile: limitFile, encoding: .utf8)) == "33554432\n", "\(limitFile)")
        #expect(try lab.docker(["pause", runningID]).status == 0)
        let state = try lab.docker(["inspect", "-f", "{{.State.Status}}", runningID])
        #expect(state.stdout == "paused\n", "\(state.stdout)\(state.stderr)")
        #expect(try lab.docker(["unpause", runningID]).status == 0)
        #expect(try lab.docker(["top", runningID]).stdout.contains("sleep 30"))
        #expect(try lab.docker(["rm", "-f", runningID]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: "\(memoryMount)/\(top)-rel/\(runningID)"))
        #expect(FileManager.default.fileExists(atPath: "\(memoryMount)/\(top)-rel"))

        // A parent that climbs out is refused before anything is made.
        let climbing = try lab.docker(["create", "--cgroup-parent", "../\(top)", "bb", "true"])
        #expect(climbing.status != 0 && climbing.stderr.contains("invalid cgroup parent"), "\(climbing.stderr)")
        #expect(try lab.docker(["ps", "-aq"]).stdout.isEmpty, "a refused create left a container")
    }

    /// `--blkio-weight-device`: the docker CLI's checks in `splice`; where the kernel has no block I/O weight (as
    /// here) dockerd's warning, and the weights discarded (inspect shows none), as dockerd does.
    @Test(.enabled(if: hierarchy?.blkioWeightUnsupportedReason != nil, "this kernel has block I/O weights"))
    func weightDevicesAreDiscardedWithDockerdsWarning() throws {
        let lab = try DaemonLab("cgwd")
        let created = try lab.docker(["create", "--net=none", "--blkio-weight-device", "/dev/vda:300",
                                      "--blkio-weight", "300", "bb", "true"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("Weight-device discarded."), "\(created.stderr)")
        #expect(created.stderr.contains("Weight discarded."), "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let format = "{{json .HostConfig.BlkioWeightDevice}} {{.HostConfig.BlkioWeight}}"
        let weights = try lab.docker(["inspect", "-f", format, id])
        #expect(weights.stdout == "[] 0\n", "\(weights.stdout)\(weights.stderr)")
        #expect(try lab.docker(["start", "-a", id]).status == 0)
        _ = try lab.docker(["rm", id])
        let running = try lab.docker(["run", "-d", "--net=none", "bb", "sleep", "30"])
        let runningID = running.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let update = try lab.docker(["update", "--blkio-weight", "500", runningID])
        // The docker CLI prints update's warnings on stdout, after the container's name.
        #expect(update.status == 0 && update.stdout.contains("Weight discarded."), "\(update.stdout)\(update.stderr)")
        _ = try lab.docker(["rm", "-f", runningID])
        let bad = try lab.splice(["run", "--rm", "--blkio-weight-device", "/dev/vda:5", "bb", "true"])
        #expect(bad.status == 125 && bad.stderr.contains("invalid weight for device: /dev/vda:5"), "\(bad.stderr)")
        let path = try lab.splice(["run", "--rm", "--blkio-weight-device", "vda:300", "bb", "true"])
        #expect(path.status == 125 && path.stderr.contains("bad format for device path: vda:300"), "\(path.stderr)")
    }

    /// `docker update --cpu-rt-runtime` reaches a running container's cgroup; `--kernel-memory` gets dockerd's
    /// deprecation warning (and, where the kernel ignores the limit, is discarded with its warning).
    @Test(.enabled(if: access("/sys/fs/cgroup/cpu/cpu.rt_runtime_us", F_OK) == 0,
                   "needs cpu.rt_runtime_us (CONFIG_RT_GROUP_SCHED)"))
    func updateChangesRealtimeBudgetAndKernelMemory() throws {
        let lab = try DaemonLab("cgup")
        let started = try lab.docker(["run", "-d", "--net=none", "bb", "sleep", "30"])
        let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(started.status == 0, "\(started.stderr)")
        let updated = try lab.docker(["update", "--cpu-rt-period", "400000", "--cpu-rt-runtime", "15000", id])
        #expect(updated.status == 0, "\(updated.stderr)")
        let budget = try lab.docker(["exec", id, "cat", "/sys/fs/cgroup/cpu/cpu.rt_period_us",
                                     "/sys/fs/cgroup/cpu/cpu.rt_runtime_us"])
        #expect(budget.stdout == "400000\n15000\n", "\(budget.stdout)\(budget.stderr)")
        let format = "{{.HostConfig.CpuRealtimePeriod}} {{.HostConfig.CpuRealtimeRuntime}}"
        let host = try lab.docker(["inspect", "-f", format, id])
        #expect(host.stdout == "400000 15000\n", "\(host.stdout)")
        let over = try lab.docker(["update", "--cpu-rt-runtime", "500000", id])
        #expect(over.status != 0 && over.stderr.contains("cpu real-time runtime cannot be higher"), "\(over.stderr)")
        let kernel = try lab.splice(["update", "--kernel-memory", "64m", id])
        #expect(kernel.status == 0 && kernel.stdout.contains("Specifying a kernel memory limit is deprecated"),
                "\(kernel.stdout)\(kernel.stderr)")
        #expect(kernel.stdout.contains("Limitation discarded") == !ResourceLimits.kernelMemoryLimitApplies,
                "\(kernel.stdout)")
        _ = try lab.docker(["rm", "-f", id])
    }
}
