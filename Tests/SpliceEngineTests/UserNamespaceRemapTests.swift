import Foundation
@testable import SpliceRuntime
import Testing
@testable import SpliceEngine

/// `--userns-remap`'s settings and how they resolve against `/etc/passwd`, `/etc/group`, `/etc/subuid` and
/// `/etc/subgid` (a scratch copy: hermetic, `/etc` is never read or written), and the ownership shift.
@Suite("user namespace remap")
struct UserNamespaceRemapTests {
    /// A scratch `etc` with the given files.
    func etc(_ files: [String: String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("etc")
        for (name, text) in files {
            try text.write(toFile: directory.path + "/" + name, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test("settings: default is dockremap; USER, USER:GROUP; empty parts refused")
    func settings() throws {
        #expect(try UserNamespaceRemap.parseSetting("default") == ("dockremap", "dockremap"))
        #expect(try UserNamespaceRemap.parseSetting("alice") == ("alice", nil))
        #expect(try UserNamespaceRemap.parseSetting("1000:staff") == ("1000", "staff"))
        for bad in ["", ":", "a:", ":b", "a:b:c"] {
            #expect(throws: (any Error).self) { try UserNamespaceRemap.parseSetting(bad) }
        }
    }

    @Test("a user's ranges become one mapping each, container ids from 0; the group defaults to the user's")
    func resolvesRanges() throws {
        let directory = try etc([
            "passwd": "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
            "group": "root:x:0:\nalice:x:1000:\nstaff:x:50:\n",
            "subuid": "bob:100000:65536\nalice:200000:65536\n1000:300000:1000\n",
            "subgid": "alice:400000:65536\nstaff:500000:10\n",
        ])
        let remap = try UserNamespaceRemap.resolve("alice", etc: directory.path)
        #expect(remap.user == "alice" && remap.group == "alice")
        #expect(remap.uidMappings == [.init(containerID: 0, hostID: 200_000, size: 65536),
                                      .init(containerID: 65536, hostID: 300_000, size: 1000)])
        #expect(remap.gidMappings == [.init(containerID: 0, hostID: 400_000, size: 65536)])
        #expect((remap.rootUID, remap.rootGID) == (200_000, 400_000))
        #expect(remap.directoryName == "200000.400000")
        #expect(remap.hostUID(65537) == 300_001 && remap.hostUID(66536) == nil)
        #expect(UserNamespaceSpec.mapText(remap.uidMappings) == "0 200000 65536\n65536 300000 1000\n")

        let staff = try UserNamespaceRemap.resolve("1000:staff", etc: directory.path)
        #expect(staff.user == "alice" && staff.group == "staff")
        #expect(staff.gidMappings == [.init(containerID: 0, hostID: 500_000, size: 10)])
    }

    @Test("a missing user, group or range is refused, naming it")
    func refusals() throws {
        let directory = try etc([
            "passwd": "carol:x:1001:1001::/:/bin/sh\n", "group": "carol:x:1001:\n", "subuid": "", "subgid": "",
        ])
        func message(_ setting: String) -> String {
            do {
                _ = try UserNamespaceRemap.resolve(setting, etc: directory.path)
                return ""
            } catch {
                return error.message
            }
        }
        #expect(message("nobody-here") == "Can't create ID mappings: user \"nobody-here\" not found")
        #expect(message("carol:nogroup") == "Can't create ID mappings: group \"nogroup\" not found")
        #expect(message("carol") == "Can't create ID mappings: no subuid ranges found for user \"carol\"")
    }

    @Test("a new range starts after every range in subuid and subgid, at 100000 at the least")
    func freeRange() throws {
        let empty = try etc(["subuid": "", "subgid": ""])
        #expect(UserNamespaceRemap.freeRangeStart(etc: empty.path) == 100_000)
        let used = try etc(["subuid": "a:100000:65536\n", "subgid": "b:165536:65536\n"])
        #expect(UserNamespaceRemap.freeRangeStart(etc: used.path) == 231_072)
    }

    @Test("shifting ownership maps every id through the map and keeps setuid bits",
          .enabled(if: geteuid() == 0, "chown needs root"))
    func shift() throws {
        let directory = try TemporaryDirectory("shift")
        let file = directory.path + "/tool", link = directory.path + "/link"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(chown(file, 5, 6) == 0 && chmod(file, 0o4755) == 0)
        #expect(symlink("tool", link) == 0)
        let remap = UserNamespaceRemap(user: "u", group: "g",
                                       uidMappings: [.init(containerID: 0, hostID: 100_000, size: 65536)],
                                       gidMappings: [.init(containerID: 0, hostID: 200_000, size: 65536)])
        try remap.shiftOwnership(of: directory.path)
        var info = stat()
        #expect(stat(file, &info) == 0)
        #expect((info.st_uid, info.st_gid, info.st_mode & 0o7777) == (100_005, 200_006, 0o4755))
        #expect(lstat(link, &info) == 0)
        #expect((info.st_uid, info.st_gid) == (100_000, 200_000))
        #expect(stat(directory.path, &info) == 0)
        #expect(info.st_uid == 100_000)
    }

    @Test("without idmapped mounts, layers are copied once under <graph>/<uid>.<gid>/layers with shifted ids",
          .enabled(if: geteuid() == 0, "chown needs root"))
    func layerCopies() throws {
        let graph = try TemporaryDirectory("graph")
        let layer = graph.path + "/images/layers/abc/diff"
        try FileManager.default.createDirectory(atPath: layer + "/bin", withIntermediateDirectories: true)
        try "x".write(toFile: layer + "/bin/tool", atomically: true, encoding: .utf8)
        #expect(chmod(layer + "/bin/tool", 0o4755) == 0)
        let remap = UserNamespaceRemap(user: "u", group: "g",
                                       uidMappings: [.init(containerID: 0, hostID: 100_000, size: 65536)],
                                       gidMappings: [.init(containerID: 0, hostID: 100_000, size: 65536)])
        let copies = try remap.remappedLayers([layer], graph: graph.path)
        #expect(copies == [graph.path + "/100000.100000/layers/images_layers_abc_diff"])
        var info = stat()
        #expect(stat(copies[0] + "/bin/tool", &info) == 0)
        #expect((info.st_uid, info.st_gid, info.st_mode & 0o7777) == (100_000, 100_000, 0o4755))
        #expect(stat(graph.path + "/100000.100000", &info) == 0)
        #expect(info.st_uid == 100_000, "the remap's directory belongs to its root, as dockerd's")
        #expect(stat(layer + "/bin/tool", &info) == 0 && info.st_uid == 0, "the image's own layer is untouched")
        // A second start reuses the copy.
        try "changed".write(toFile: copies[0] + "/marker", atomically: true, encoding: .utf8)
        #expect(try remap.remappedLayers([layer], graph: graph.path) == copies)
        #expect(FileManager.default.fileExists(atPath: copies[0] + "/marker"))
    }
}
