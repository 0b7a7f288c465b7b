import Foundation
import Testing
@testable import SpliceRuntime

@Suite("Cgroup writers against a fake cgroupfs")
struct CgroupWriterTests {
    static let v1Controllers = ["memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "devices", "freezer"]
    static let unlimited = "9223372036854771712\n"

    /// A v1 layout like this machine's, with the files the kernel would create in `splice/c1`.
    static func v1Layout() throws -> (TemporaryTree, CgroupHierarchy) {
        let tree = try TemporaryTree()
        var mounts: [String: String] = [:]
        for controller in v1Controllers {
            mounts[controller] = tree.path + "/" + controller
            for directory in [controller, "\(controller)/splice", "\(controller)/splice/c1"] {
                try tree.write("", at: "\(directory)/cgroup.procs")
            }
        }
        try tree.write("0-1\n", at: "cpuset/cpuset.cpus")
        try tree.write("0\n", at: "cpuset/cpuset.mems")
        for directory in ["cpuset/splice", "cpuset/splice/c1"] {
            try tree.write("\n", at: "\(directory)/cpuset.cpus")
            try tree.write("\n", at: "\(directory)/cpuset.mems")
        }
        let c1 = "splice/c1"
        try tree.write(unlimited, at: "memory/\(c1)/memory.limit_in_bytes")
        try tree.write(unlimited, at: "memory/\(c1)/memory.memsw.limit_in_bytes")
        try tree.write("1892352\n", at: "memory/\(c1)/memory.usage_in_bytes")
        try tree.write("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n", at: "memory/\(c1)/memory.oom_control")
        try tree.write("1024\n", at: "cpu/\(c1)/cpu.shares")
        try tree.write("max\n", at: "pids/\(c1)/pids.max")
        try tree.write("3\n", at: "pids/\(c1)/pids.current")
        try tree.write("", at: "devices/\(c1)/devices.allow")
        try tree.write("", at: "devices/\(c1)/devices.deny")
        try tree.write("THAWED\n", at: "freezer/\(c1)/freezer.state")
        let hierarchy = CgroupHierarchy(
            mode: .hybrid, v1Mounts: mounts, unifiedMount: tree.path + "/unified", blkioWeightFile: nil)
        return (tree, hierarchy)
    }

    /// A v2 layout with the files a v2 kernel creates in `splice/c1`.
    static func v2Layout(kill: Bool = true) throws -> (TemporaryTree, CgroupHierarchy) {
        let tree = try TemporaryTree()
        try tree.write("cpuset cpu io memory pids hugetlb\n", at: "cgroup.controllers")
        try tree.write("", at: "cgroup.subtree_control")
        try tree.write("", at: "splice/cgroup.subtree_control")
        let files = [
            "memory.max": "max\n", "memory.swap.max": "max\n", "memory.current": "4096\n",
            "memory.events": "low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\noom_group_kill 0\n",
            "cpu.weight": "100\n", "cpuset.cpus": "\n", "pids.max": "max\n", "pids.current": "2\n",
            "io.weight": "default 100\n", "cgroup.procs": "", "cgroup.freeze": "0\n",
            "cgroup.events": "populated 1\nfrozen 0\n",
        ]
        for (name, content) in files { try tree.write(content, at: "splice/c1/\(name)") }
        if kill { try tree.write("", at: "splice/c1/cgroup.kill") }
        let hierarchy = CgroupHierarchy(
            mode: .v2, v1Mounts: [:], unifiedMount: tree.path,
            v2Controllers: ["cpuset", "cpu", "io", "memory", "pids", "hugetlb"], blkioWeightFile: "io.weight")
        return (tree, hierarchy)
    }

    static func recorder(_ hierarchy: CgroupHierarchy, id: String = "c1") throws -> ContainerCgroup {
        try ContainerCgroup(id: id, hierarchy: hierarchy, parent: "splice", files: CgroupFiles(recording: true))
    }

    /// The journal with the temp root replaced by `$root`.
    static func journal(_ cgroup: ContainerCgroup, root: String) -> [String] {
        cgroup.files.writes.map { "\($0.path.replacingOccurrences(of: root, with: "$root")) = \($0.content)" }
    }

    @Test("v1: create makes splice/c1 in every hierarchy and copies the cpuset from the parent")
    func v1Create() throws {
        let (tree, hierarchy) = try Self.v1Layout()
        let cgroup = try Self.recorder(hierarchy)
        #expect(cgroup.directories == Self.v1Controllers.map { tree.path + "/\($0)/splice/c1" })
        try cgroup.create()
        #expect(Self.journal(cgroup, root: tree.path) == [
            "$root/cpuset/splice/cpuset.cpus = 0-1", "$root/cpuset/splice/cpuset.mems = 0",
            "$root/cpuset/splice/c1/cpuset.cpus = 0-1", "$root/cpuset/splice/c1/cpuset.mems = 0",
        ])
        #expect(try tree.read("cpuset/splice/c1/cpuset.cpus") == "0-1")
        // A second create keeps what exists and changes nothing already set.
        try cgroup.create()
        #expect(cgroup.files.writes.count == 4)
    }

    @Test("v1: a nested --cgroup-parent gets each level, with the cpuset copied down level by level")
    func v1CreateUnderANestedParent() throws {
        let (tree, hierarchy) = try Self.v1Layout()
        // What the kernel makes with each directory: empty cpuset files.
        for level in ["batch", "batch/jobs", "batch/jobs/c1"] {
            try tree.write("\n", at: "cpuset/\(level)/cpuset.cpus")
            try tree.write("\n", at: "cpuset/\(level)/cpuset.mems")
        }
        let cgroup = try ContainerCgroup(id: "c1", hierarchy: hierarchy, parent: "batch/jobs",
                                         files: CgroupFiles(recording: true))
        #expect(cgroup.directory(for: "memory") == tree.path + "/memory/batch/jobs/c1")
        try cgroup.create()
        #expect(Self.journal(cgroup, root: tree.path) == [
            "$root/cpuset/batch/cpuset.cpus = 0-1", "$root/cpuset/batch/cpuset.mems = 0",
            "$root/cpuset/batch/jobs/cpuset.cpus = 0-1", "$root/cpuset/batch/jobs/cpuset.mems = 0",
            "$root/cpuset/batch/jobs/c1/cpuset.cpus = 0-1", "$root/cpuset/batch/jobs/c1/cpuset.mems = 0",
        ])
        #expect(tree.exists("memory/batch/jobs/c1") && tree.exists("pids/batch/jobs/c1"))
    }

    @Test("v2: a nested --cgroup-parent delegates the controllers at each level")
    func v2CreateUnderANestedParent() throws {
        let (tree, hierarchy) = try Self.v2Layout()
        for level in ["batch", "batch/jobs"] { try tree.write("", at: "\(level)/cgroup.subtree_control") }
        let cgroup = try ContainerCgroup(id: "c1", hierarchy: hierarchy, parent: "batch/jobs",
                                         files: CgroupFiles(recording: true))
        try cgroup.create()
        let enable = "+cpu +cpuset +io +memory +pids"
        #expect(Self.journal(cgroup, root: tree.path) == [
            "$root/cgroup.subtree_control = \(enable)", "$root/batch/cgroup.subtree_control = \(enable)",
            "$root/batch/jobs/cgroup.subtree_control = \(enable)",
        ])
        #expect(tree.exists("batch/jobs/c1"))
    }

    @Test("A parent that is empty, absolute or climbs out is refused")
    func badParents() throws {
        let (_, hierarchy) = try Self.v2Layout()
        for parent in ["", "/a", "a/", "a//b", "../a", "a/./b"] {
            #expect(throws: CgroupError.self) { try ContainerCgroup(id: "c1", hierarchy: hierarchy, parent: parent) }
        }
        #expect(try ContainerCgroup(id: "c1", hierarchy: hierarchy, parent: "a/b.slice").parent == "a/b.slice")
    }

    @Test("v1: create makes missing directories")
    func v1CreateFresh() throws {
        let tree = try TemporaryTree()
        try tree.makeDirectory("memory")
        try tree.makeDirectory("pids")
        let hierarchy = CgroupHierarchy(
            mode: .v1, v1Mounts: ["memory": tree.path + "/memory", "pids": tree.path + "/pids"], unifiedMount: nil,
            blkioWeightFile: nil)
        let cgroup = try Self.recorder(hierarchy, id: "fresh")
        try cgroup.create()
        #expect(tree.exists("memory/splice/fresh") && tree.exists("pids/splice/fresh"))
        try cgroup.remove()
        #expect(!tree.exists("memory/splice/fresh") && !tree.exists("pids/splice/fresh"))
        #expect(tree.exists("memory/splice"))
        try cgroup.remove()  // already gone is success
    }

    @Test("v1: every limit goes to its file with Docker's content")
    func v1Apply() throws {
        let (tree, hierarchy) = try Self.v1Layout()
        let cgroup = try Self.recorder(hierarchy)
        let sdc = DeviceRule(kind: .block, major: 8, minor: 32, permissions: "rw", hostPath: "/dev/sdc")
        try cgroup.apply(ResourceLimits(
            memoryBytes: 32 << 20, cpuShares: 512, cpusetCpus: "0-1", pidsLimit: 64, devices: [sdc]))
        let d = "$root/devices/splice/c1"
        #expect(Self.journal(cgroup, root: tree.path) == [
            "$root/memory/splice/c1/memory.limit_in_bytes = 33554432",
            "$root/memory/splice/c1/memory.memsw.limit_in_bytes = 67108864",
            "$root/cpu/splice/c1/cpu.shares = 512",
            "$root/cpuset/splice/c1/cpuset.cpus = 0-1",
            "$root/pids/splice/c1/pids.max = 64",
            "\(d)/devices.deny = a", "\(d)/devices.allow = c *:* m", "\(d)/devices.allow = b *:* m",
            "\(d)/devices.allow = c 1:3 rwm", "\(d)/devices.allow = c 1:5 rwm", "\(d)/devices.allow = c 1:7 rwm",
            "\(d)/devices.allow = c 1:8 rwm", "\(d)/devices.allow = c 1:9 rwm", "\(d)/devices.allow = c 5:0 rwm",
            "\(d)/devices.allow = c 5:1 rwm", "\(d)/devices.allow = c 5:2 rwm", "\(d)/devices.allow = c 136:* rwm",
            "\(d)/devices.allow = b 8:32 rw",
        ])
        #expect(try tree.read("memory/splice/c1/memory.limit_in_bytes") == "33554432")
        #expect(try tree.read("pids/splice/c1/pids.max") == "64")
        #expect(try tree.read("devices/splice/c1/devices.allow") == "b 8:32 rw")
    }

    @Test("v1: an explicit swap total, unlimited swap and unlimited pids")
    func v1Swap() throws {
        let (tree, hierarchy) = try Self.v1Layout()
        let cgroup = try Self.recorder(hierarchy)
        try cgroup.apply(ResourceLimits(memoryBytes: 64 << 20, memorySwapBytes: -1, pidsLimit: 0))
        let journal = Self.journal(cgroup, root: tree.path)
        #expect(journal.prefix(3) == [
            "$root/memory/splice/c1/memory.memsw.limit_in_bytes = -1",
            "$root/memory/splice/c1/memory.limit_in_bytes = 67108864",
            "$root/pids/splice/c1/pids.max = max",
        ])
        // Lowering below the current memsw limit writes memory first.
        let lower = try Self.recorder(hierarchy)
        try tree.write("134217728\n", at: "memory/splice/c1/memory.memsw.limit_in_bytes")
        try lower.apply(ResourceLimits(memoryBytes: 32 << 20, memorySwapBytes: 48 << 20))
        #expect(Self.journal(lower, root: tree.path).prefix(2) == [
            "$root/memory/splice/c1/memory.limit_in_bytes = 33554432",
            "$root/memory/splice/c1/memory.memsw.limit_in_bytes = 50331648",
        ])
    }

    @Test("v1: no swap accounting refuses an explicit --memory-swap")
    func v1NoSwapAccounting() throws {
        let (tree, hierarchy) = try Self.v1Layout()
        try FileManager.default.removeItem(atPath: tree.path + "/memory/splice/c1/memory.memsw.limit_in_bytes")
        let cgroup = try Self.recorder(hierarchy)
        let error = #expect(throws: CgroupError.self) {
            try cgroup.apply(ResourceLimits(memoryBytes: 32 << 20, memorySwapBytes: 64 << 20))
        }
        #expect(error?.description
            == "--memory-swap: this kernel has no swap accounting (CONFIG_MEMCG_SWAP, swapaccount=1)")
        try cgroup.apply(ResourceLimits(memoryBytes: 32 << 20))
        #expect(try tree.read("memory/splice/c1/memory.limit_in_bytes") == "33554432")
    }

    @Test("v1: blkio weight goes to the detected file when the kernel has one")
    func v1BlkioWeight() throws {
        let (tree, base) = try Self.v1Layout()
        try tree.write("500\n", at: "blkio/splice/c1/blkio.weight")
        let hierarchy = CgroupHierarchy(
            mode: .v1, v1Mounts: base.v1Mounts, unifiedMount: nil, blkioWeightFile: "blkio.weight")
        let cgroup = try Self.recorder(hierarchy)
        try cgroup.apply(ResourceLimits(blkioWeight: 300))
        #expect(Self.journal(cgroup, root: tree.path).first == "$root/blkio/splice/c1/blkio.weight = 300")
    }

    @Test("v1: a pid goes into cgroup.procs of every hierarchy; stats read back")
    func v1AddAndStats() throws {
        let (tree, hierarchy) = try Self.v1Layout()
        let cgroup = try Self.recorder(hierarchy)
        try cgroup.add(pid: 4242)
        let expected = Self.v1Controllers.map { "$root/\($0)/splice/c1/cgroup.procs = 4242" }
        #expect(Self.journal(cgroup, root: tree.path) == expected)
        #expect(try cgroup.processes() == [4242])
        #expect(cgroup.stats() == CgroupStats(
            memoryUsageBytes: 1_892_352, memoryLimitBytes: nil, oomKills: 2, pidsCurrent: 3, pidsLimit: nil))
    }

    @Test("v1: freeze and thaw write freezer.state and read it back")
    func v1Freezer() throws {
        let (tree, hierarchy) = try Self.v1Layout()
        let cgroup = try Self.recorder(hierarchy)
        try cgroup.freeze()
        #expect(try cgroup.isFrozen())
        try cgroup.thaw()
        #expect(try !cgroup.isFrozen())
        #expect(Self.journal(cgroup, root: tree.path) == [
            "$root/freezer/splice/c1/freezer.state = FROZEN", "$root/freezer/splice/c1/freezer.state = THAWED",
        ])
    }

    @Test("v1: killAll on an empty cgroup returns at once")
    func v1KillEmpty() throws {
        let (tree, hierarchy) = try Self.v1Layout()
        let cgroup = try Self.recorder(hierarchy)
        try cgroup.killAll(timeout: .milliseconds(100))
        #expect(cgroup.files.writes.isEmpty)
        #expect(tree.exists("memory/splice/c1/cgroup.procs"))
    }

    @Test("v2: create delegates controllers to splice and splice/c1")
    func v2Create() throws {
        let (tree, hierarchy) = try Self.v2Layout()
        let cgroup = try Self.recorder(hierarchy)
        #expect(cgroup.directories == [tree.path + "/splice/c1"])
        try cgroup.create()
        #expect(Self.journal(cgroup, root: tree.path) == [
            "$root/cgroup.subtree_control = +cpu +cpuset +io +memory +pids",
            "$root/splice/cgroup.subtree_control = +cpu +cpuset +io +memory +pids",
        ])
    }

    @Test("v2: every limit goes to its file, converted")
    func v2Apply() throws {
        let (tree, hierarchy) = try Self.v2Layout()
        let cgroup = try Self.recorder(hierarchy)
        try cgroup.apply(ResourceLimits(
            memoryBytes: 32 << 20, cpuShares: 512, cpusetCpus: "0-1,3", pidsLimit: 64, blkioWeight: 500))
        #expect(Self.journal(cgroup, root: tree.path) == [
            "$root/splice/c1/memory.max = 33554432", "$root/splice/c1/memory.swap.max = 33554432",
            "$root/splice/c1/cpu.weight = 20", "$root/splice/c1/cpuset.cpus = 0-1,3",
            "$root/splice/c1/pids.max = 64", "$root/splice/c1/io.weight = 4950",
        ])
        let other = try Self.recorder(hierarchy)
        try other.apply(ResourceLimits(memoryBytes: 32 << 20, memorySwapBytes: 96 << 20, pidsLimit: -1))
        #expect(Self.journal(other, root: tree.path) == [
            "$root/splice/c1/memory.max = 33554432", "$root/splice/c1/memory.swap.max = 67108864",
            "$root/splice/c1/pids.max = max",
        ])
        let unlimitedSwap = try Self.recorder(hierarchy)
        try unlimitedSwap.apply(ResourceLimits(memoryBytes: 32 << 20, memorySwapBytes: -1))
        #expect(Self.journal(unlimitedSwap, root: tree.path).last == "$root/splice/c1/memory.swap.max = max")
    }

    @Test("v2: --device needs eBPF and is refused; io weight without io.weight is unsupported")
    func v2Unsupported() throws {
        let (tree, hierarchy) = try Self.v2Layout()
        let cgroup = try Self.recorder(hierarchy)
        let error = #expect(throws: CgroupError.self) {
            try cgroup.apply(ResourceLimits(devices: [DeviceRule(kind: .character, major: 1, minor: 3)]))
        }
        #expect(error?.description
            == "--device: device rules on cgroup v2 need an eBPF program (BPF_CGROUP_DEVICE), not supported yet")
        try FileManager.default.removeItem(atPath: tree.path + "/splice/c1/io.weight")
        #expect(throws: CgroupError.unsupported(
            option: "--blkio-weight", reason: "this kernel has no io weight support (io.weight / io.bfq.weight)")) {
            try cgroup.apply(ResourceLimits(blkioWeight: 500))
        }
        try tree.write("100\n", at: "splice/c1/io.bfq.weight")
        try cgroup.apply(ResourceLimits(blkioWeight: 500))
        #expect(try tree.read("splice/c1/io.bfq.weight") == "500")
    }

    @Test("v2: freeze waits for cgroup.events to say frozen")
    func v2Freezer() throws {
        let (tree, hierarchy) = try Self.v2Layout()
        let cgroup = try Self.recorder(hierarchy)
        #expect(throws: CgroupError.timedOut(operation: "freeze", path: tree.path + "/splice/c1")) {
            try cgroup.freeze(timeout: .milliseconds(50))
        }
        #expect(try tree.read("splice/c1/cgroup.freeze") == "1")
        try tree.write("populated 1\nfrozen 1\n", at: "splice/c1/cgroup.events")
        try cgroup.freeze()
        #expect(try cgroup.isFrozen())
        try tree.write("populated 1\nfrozen 0\n", at: "splice/c1/cgroup.events")
        try cgroup.thaw()
        #expect(try tree.read("splice/c1/cgroup.freeze") == "0")
    }

    @Test("v2: killAll uses cgroup.kill; stats come from memory.current and memory.events")
    func v2KillAndStats() throws {
        let (tree, hierarchy) = try Self.v2Layout()
        let cgroup = try Self.recorder(hierarchy)
        try cgroup.killAll(timeout: .milliseconds(100))
        #expect(Self.journal(cgroup, root: tree.path) == ["$root/splice/c1/cgroup.kill = 1"])
        #expect(cgroup.stats() == CgroupStats(
            memoryUsageBytes: 4096, memoryLimitBytes: nil, oomKills: 1, pidsCurrent: 2, pidsLimit: nil))
    }

    @Test("Names with slashes or dots are refused")
    func badNames() throws {
        let (_, hierarchy) = try Self.v2Layout()
        for name in ["", ".", "..", "a/b"] {
            #expect(throws: CgroupError.self) { try ContainerCgroup(id: name, hierarchy: hierarchy) }
        }
    }

    @Test("A missing control file is reported with its path")
    func missingFile() throws {
        let (tree, hierarchy) = try Self.v2Layout()
        try FileManager.default.removeItem(atPath: tree.path + "/splice/c1/pids.max")
        let cgroup = try Self.recorder(hierarchy)
        #expect(throws: CgroupError.system(.init(
            "open", errno: .noSuchFileOrDirectory, path: tree.path + "/splice/c1/pids.max"))) {
            try cgroup.apply(ResourceLimits(pidsLimit: 5))
        }
    }
}
