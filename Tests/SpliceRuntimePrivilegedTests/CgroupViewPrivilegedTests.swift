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
        spec.cgroupView = .unified(source: group)
        spec.privateCgroupNamespace = true
        let result = try lab.run(spec)
        let output = lab.stdout(result.lines)
        #expect(result.exit.exitCode == 0, "\(result.lines)")
        #expect(output.hasPrefix("0::/\ncgroup /sys/fs/cgroup cgroup2 ro,nosuid,nodev,noexec"), "\(output)")
        // Its own processes only (sh, cat, wc), not the host's.
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == 4 && Int(lines[2]).map { $0 <= 3 } == true, "\(output)")
        #expect(lines.last == "denied", "\(output)")
    }

    @Test("in the host's cgroup namespace the container sees a bind of its own directory")
    func unifiedBind() throws {
        let lab = try ContainerLab("cgv2h")
        let name = "splice-rt-\(getpid())-cgv2h"
        let group = try #require(unifiedMount) + "/" + name
        guard mkdir(group, 0o755) == 0 || errno == EEXIST else { throw LabError("mkdir \(group): \(errno)") }
        defer { _ = rmdir(group) }
        var spec = lab.spec("cgv2h", ["sh", "-c", "grep '^0::' /proc/self/cgroup; grep ' /sys/fs/cgroup ' /proc/mounts;"
                                      + " test -f /sys/fs/cgroup/cgroup.procs && echo procs"])
        spec.cgroupProcs = [group + "/cgroup.procs"]
        spec.cgroupView = .unified(source: group)
        let result = try lab.run(spec)
        let lines = lab.stdout(result.lines).split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[0] == "0::/" + name, "\(lines)")
        #expect(lines.count == 3 && lines[1].contains(" /sys/fs/cgroup cgroup2 ro,nosuid,nodev,noexec"), "\(lines)")
        #expect(lines.last == "procs", "\(lines)")
    }
}
