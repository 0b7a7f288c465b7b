import SystemKit
import Testing

@Suite("mountinfo lines")
struct MountInfoEntryTests {
    @Test("escapes are undone, optional fields skipped, super options split")
    func fields() throws {
        let line = #"36 35 98:0 /mnt1 /mnt/a\040b rw,noatime master:1 shared:9 - ext3 /dev/root rw,errors=continue"#
        let entry = try #require(MountInfoEntry(line: Substring(line)))
        #expect(entry == MountInfoEntry(mountPoint: "/mnt/a b", fileSystemType: "ext3",
                                        superOptions: ["rw", "errors=continue"]))
    }

    @Test("a mount point named '-' is not the separator; a line without one is skipped")
    func separator() throws {
        let entry = try #require(MountInfoEntry(line: "40 35 0:50 / - rw - tmpfs tmpfs rw"))
        #expect(entry.mountPoint == "-" && entry.fileSystemType == "tmpfs")
        #expect(MountInfoEntry(line: "40 35 0:50 / /x rw tmpfs tmpfs rw") == nil)
        #expect(MountInfoEntry.parse("garbage\n40 35 0:50 / /x rw - tmpfs tmpfs\n").map(\.superOptions) == [[]])
    }
}
