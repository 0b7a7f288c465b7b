import Foundation
import Glibc
import SpliceRuntime
import Testing

/// The host's cgroup2 mount point.
private let unifiedMount: String? = (try? CgroupHierarchy.detect())?.unifiedMount

/// The v2 view of a container's own cgroup (a cgroup namespace and cgroup2 at /sys/fs/cgroup), run for real on the
/// host's cgroup2 mount (the unified hierarchy of a hybrid host, or the root of a v2 host).
@Suite("cgroup v2 view inside a container", .serialized,
       .enabled(if: canRunContainers, "needs root, busybox-static and a built splice-init; run: sudo swift test"),
       .enabled(if: unifiedMount != nil, "no cgroup2 hierarchy is mounted"))
struct CgroupViewPrivilegedTests {
    @Test("the container sees its own cgroup as the root, read-only")
    func unifiedView() throws {
        let lab = try ContainerLab("cgv2")
        let group = try #require(unifiedMount) + "/splice-rt-\(getpid())-cgv2"
        guard mkdir(group, 0o755) == 0 || errno == EEXIST else { throw LabError("mkdir \(group): \(errno)") }
        defer { _ = rmdir(group) }
        var spec = lab.spec("cgv2", ["sh", "-c", "grep '^0::' /proc/self/cgroup; grep ' /sys/fs/cgroup ' /proc/mounts;"
                                     + " cat /sys/fs/cgroup/cgroup.procs | wc -l; echo x > /sys/fs/cgroup/cgroup.procs"
                                     + " || echo denied"])
        spec.cgroupProcs = [group + "/cgroup.procs"]
        spec.cgroupView = .unified
        let result = try lab.run(spec)
        let output = lab.stdout(result.lines)
        #expect(result.exit.exitCode == 0, "\(result.lines)")
        #expect(output.hasPrefix("0::/\ncgroup /sys/fs/cgroup cgroup2 ro,nosuid,nodev,noexec"), "\(output)")
        // Its own processes only (sh, cat, wc), not the host's.
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == 4 && Int(lines[2]).map { $0 <= 3 } == true, "\(output)")
        #expect(lines.last == "denied", "\(output)")
    }
}
