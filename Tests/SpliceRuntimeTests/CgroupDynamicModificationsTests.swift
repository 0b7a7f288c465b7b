import SystemKit
import Testing
@testable import SpliceRuntime

@Suite("cgroup2 favordynmods remount")
struct CgroupDynamicModificationsTests {
    @Test("the cgroup2 mount and its super options are read from mountinfo")
    func unifiedMountFromMountinfo() throws {
        let unified = try #require(MountInfoEntry.parse(CgroupHierarchyTests.hybridMountinfo)
            .first { $0.fileSystemType == "cgroup2" })
        #expect(unified.mountPoint == "/sys/fs/cgroup/unified")
        #expect(unified.superOptions.contains("rw"))
        #expect(MountInfoEntry.parse("22 27 0:21 / /proc rw,relatime - proc proc rw").isEmpty == false)
        #expect(MountInfoEntry.parse("22 27 0:21 / /proc rw,relatime - proc proc rw")[0].fileSystemType == "proc")
    }

    @Test("the remount keeps the flags a cgroup2 remount would otherwise clear, and adds favordynmods once")
    func remountDataKeepsFlags() {
        #expect(CgroupDynamicModifications.remountData(superOptions: ["rw"]) == "favordynmods")
        #expect(CgroupDynamicModifications.remountData(superOptions: ["rw", "nsdelegate", "memory_recursiveprot"])
                == "nsdelegate,memory_recursiveprot,favordynmods")
        #expect(CgroupDynamicModifications.remountData(superOptions: ["rw", "nsdelegate", "favordynmods"]) == nil)
    }

    @Test("a host without the option is reported, not changed")
    func unavailableWithoutTheFeature() throws {
        let root = try TemporaryTree()
        try root.write("nsdelegate\nmemory_localevents\n", at: "sys/kernel/cgroup/features")
        #expect(try CgroupDynamicModifications.favor(root: root.path)
                == .unavailable(reason: "this kernel has no cgroup2 favordynmods option (Linux 6.0+)"))
    }
}
