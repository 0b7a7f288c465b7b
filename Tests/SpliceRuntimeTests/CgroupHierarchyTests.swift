import Foundation
import Testing
@testable import SpliceRuntime

@Suite("Cgroup hierarchy detection")
struct CgroupHierarchyTests {
    /// /proc/self/mountinfo of a development machine (Linux 6.18, hybrid).
    static let hybridMountinfo = """
        22 27 0:21 / /proc rw,relatime - proc proc rw
        23 27 0:22 / /sys rw,relatime - sysfs sysfs rw
        24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334492k,nr_inodes=3083623,mode=755
        25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684092k
        26 24 0:24 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """

    /// /proc/cgroups of the same machine.
    static let hybridProcCgroups = """
        #subsys_name\thierarchy\tnum_cgroups\tenabled
        cpuset\t3\t1\t1
        cpu\t1\t1\t1
        cpuacct\t2\t1\t1
        blkio\t7\t1\t1
        memory\t4\t25\t1
        devices\t5\t1\t1
        freezer\t6\t1\t1
        net_cls\t0\t1\t1
        perf_event\t0\t1\t1
        net_prio\t0\t1\t1
        hugetlb\t0\t1\t1
        pids\t8\t1\t1
        """

    /// A systemd v2-only host (Debian 12 default).
    static let v2Mountinfo = """
        24 30 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        28 24 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec shared:9 - cgroup2 cgroup2 rw,nsdelegate
        """

    /// A v1 host with cpu and cpuacct co-mounted and a mount point with an escaped space.
    static let v1Mountinfo = """
        30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct
        31 25 0:27 / /sys/fs/cgroup/my\\040memory rw,nosuid - cgroup cgroup rw,memory
        32 25 0:28 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd
        """

    @Test("This machine's hybrid layout, with no blkio weight")
    func hybrid() throws {
        let root = try TemporaryTree()
        try root.makeDirectory("sys/fs/cgroup/blkio")
        try root.write("blkio.throttle.read_bps_device", at: "sys/fs/cgroup/blkio/blkio.throttle.read_bps_device")
        try root.write("hugetlb\n", at: "sys/fs/cgroup/unified/cgroup.controllers")
        let hierarchy = try CgroupHierarchy.parse(
            mountinfo: Self.hybridMountinfo, cgroups: Self.hybridProcCgroups, root: root.path)
        #expect(hierarchy.mode == .hybrid)
        #expect(!hierarchy.usesUnified)
        #expect(hierarchy.v1Mounts.count == 8)
        #expect(hierarchy.v1Mounts["memory"] == root.path + "/sys/fs/cgroup/memory")
        #expect(hierarchy.v1Mounts["cpuacct"] == root.path + "/sys/fs/cgroup/cpuacct")
        #expect(hierarchy.v1Mounts["systemd"] == nil && hierarchy.v1Mounts["name=systemd"] == nil)
        #expect(hierarchy.unifiedMount == root.path + "/sys/fs/cgroup/unified")
        #expect(hierarchy.v2Controllers == ["hugetlb"])
        #expect(hierarchy.enabledControllers.contains("pids"))
        #expect(hierarchy.blkioWeightFile == nil)
        #expect(
            hierarchy.blkioWeightUnsupportedReason
                == "this kernel has no blkio weight support (CONFIG_BFQ_GROUP_IOSCHED / CFQ)")
        let containerCgroup = try ContainerCgroup(id: "c1", hierarchy: hierarchy)
        #expect(throws: CgroupError.unsupported(
            option: "--blkio-weight", reason: "this kernel has no blkio weight support (CONFIG_BFQ_GROUP_IOSCHED / CFQ)"
        )) { try containerCgroup.apply(ResourceLimits(blkioWeight: 500)) }
    }

    @Test("blkio.weight at the v1 root means weight support")
    func hybridWithWeight() throws {
        let root = try TemporaryTree()
        try root.write("500", at: "sys/fs/cgroup/blkio/blkio.weight")
        let hierarchy = try CgroupHierarchy.parse(
            mountinfo: Self.hybridMountinfo, cgroups: Self.hybridProcCgroups, root: root.path)
        #expect(hierarchy.blkioWeightFile == "blkio.weight")
        #expect(hierarchy.blkioWeightUnsupportedReason == nil)
    }

    @Test("A pure v2 host")
    func pureV2() throws {
        let root = try TemporaryTree()
        try root.write("cpuset cpu io memory hugetlb pids rdma misc\n", at: "sys/fs/cgroup/cgroup.controllers")
        let hierarchy = try CgroupHierarchy.parse(mountinfo: Self.v2Mountinfo, cgroups: "", root: root.path)
        #expect(hierarchy.mode == .v2)
        #expect(hierarchy.usesUnified)
        #expect(hierarchy.v1Mounts.isEmpty)
        #expect(hierarchy.unifiedMount == root.path + "/sys/fs/cgroup")
        #expect(hierarchy.v2Controllers.isSuperset(of: ["cpu", "cpuset", "io", "memory", "pids"]))
        #expect(hierarchy.blkioWeightFile == "io.weight")
    }

    @Test("A v2 host without the io controller has no weight")
    func v2WithoutIO() throws {
        let root = try TemporaryTree()
        try root.write("cpu memory pids\n", at: "sys/fs/cgroup/cgroup.controllers")
        let hierarchy = try CgroupHierarchy.parse(mountinfo: Self.v2Mountinfo, cgroups: "", root: root.path)
        #expect(hierarchy.blkioWeightFile == nil)
    }

    @Test("v1 co-mounts and escaped mount points")
    func pureV1() throws {
        let hierarchy = try CgroupHierarchy.parse(mountinfo: Self.v1Mountinfo, cgroups: "")
        #expect(hierarchy.mode == .v1)
        #expect(hierarchy.v1Mounts == [
            "cpu": "/sys/fs/cgroup/cpu,cpuacct", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct",
            "memory": "/sys/fs/cgroup/my memory",
        ])
        let cgroup = try ContainerCgroup(id: "c1", hierarchy: hierarchy)
        #expect(cgroup.directories == ["/sys/fs/cgroup/my memory/splice/c1", "/sys/fs/cgroup/cpu,cpuacct/splice/c1"])
    }

    @Test("Disabled controllers in /proc/cgroups are ignored")
    func disabled() throws {
        let cgroups = Self.hybridProcCgroups.replacingOccurrences(of: "memory\t4\t25\t1", with: "memory\t4\t25\t0")
        let hierarchy = try CgroupHierarchy.parse(mountinfo: Self.hybridMountinfo, cgroups: cgroups)
        #expect(hierarchy.v1Mounts["memory"] == nil)
    }

    @Test("No cgroup mounts at all")
    func none() {
        #expect(throws: CgroupError.unsupported(option: "cgroups", reason: "no cgroup hierarchy is mounted")) {
            try CgroupHierarchy.parse(mountinfo: "22 27 0:21 / /proc rw,relatime - proc proc rw", cgroups: "")
        }
    }

    @Test("Live detection on this host")
    func live() throws {
        let hierarchy = try CgroupHierarchy.detect()
        #expect(!hierarchy.summary.isEmpty)
        if hierarchy.mode != .v2 { #expect(hierarchy.v1Mounts["memory"] != nil) }
    }
}
