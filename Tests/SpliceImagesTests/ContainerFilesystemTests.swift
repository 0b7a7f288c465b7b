import Foundation
import Glibc
import SpliceImages
import SystemKit
import TestSupport
import Testing

/// `docker cp`'s reads and writes inside a container's root (a plain directory here): paths resolve as if chrooted,
/// and hostile archives are refused with nothing written outside the root.
@Suite struct ContainerFilesystemTests {
    /// Both resolvers: `openat2(RESOLVE_IN_ROOT)` and the walk kernels before 5.6 get.
    static let resolvers = [false, true]

    let directory: TemporaryDirectory
    /// The container's root.
    let root: String
    /// A host directory the container's symlinks point at.
    let host: String

    init() throws {
        directory = try TemporaryDirectory()
        root = directory.path + "/root"
        host = directory.path + "/host"
        for path in [root + "/etc", root + "/tmp", host] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        try "secret\n".write(toFile: host + "/secret.txt", atomically: true, encoding: .utf8)
        try "inside\n".write(toFile: root + "/etc/hostname", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/tmp/abs", withDestinationPath: host)
        try FileManager.default.createSymbolicLink(atPath: root + "/tmp/rel",
                                                   withDestinationPath: "../../../../../../.." + host)
        try FileManager.default.createSymbolicLink(atPath: root + "/tmp/etc", withDestinationPath: "/etc")
    }

    func filesystem(walkOnly: Bool = false) throws -> ContainerFilesystem {
        ContainerFilesystem(root: try RootDirectory.open(root, walkOnly: walkOnly))
    }

    func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Extracts the tar at `tar` into `path` of the root.
    func extract(_ tar: String, into path: String, _ options: ExtractOptions = ExtractOptions(),
                 walkOnly: Bool = false) throws {
        let fd = open(tar, O_RDONLY | O_CLOEXEC)
        defer { close(fd) }
        try filesystem(walkOnly: walkOnly).extract(from: fd, into: path, container: "box", options: options)
    }

    @Test(arguments: resolvers) func symlinksResolveInsideTheRoot(walkOnly: Bool) throws {
        let fs = try filesystem(walkOnly: walkOnly)
        for path in ["/tmp/abs/secret.txt", "/tmp/rel/secret.txt", "/tmp/abs/../../host/secret.txt"] {
            let error = try #require(throws: ImageError.self) { try fs.stat(path, container: "box") }
            #expect(error.message == "Could not find the file \(path) in container box")
        }
        let link = try fs.stat("/tmp/etc", container: "box")
        #expect(link.mode & PathInfo.goModeSymlink != 0)
        #expect(link.linkTarget == "/etc")
        let through = try fs.stat("/tmp/etc/hostname", container: "box")
        #expect(through.size == 7)
        #expect(through.name == "hostname")
        let relative = try fs.stat("/tmp/rel", container: "box")
        #expect(relative.linkTarget == host, "a dangling link names where it would lead inside the root")
    }

    /// Writes the tar of `path` and lists it verbosely.
    func listing(_ path: String) throws -> [String] {
        let tar = directory.path + "/out.tar"
        let fd = open(tar, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(fd) }
        try filesystem().archive(path, container: "box", to: fd)
        return try run("/bin/tar", ["-tf", tar]).split(separator: "\n").map(String.init)
    }

    @Test func archivesAPathUnderItsBaseName() throws {
        #expect(try listing("/tmp/etc") == ["etc"], "the link itself")
        #expect(try listing("/tmp/etc/") == ["etc/", "etc/hostname"], "a trailing slash follows it")
        #expect(try listing("/etc") == ["etc/", "etc/hostname"])
        #expect(try listing("/etc/.") == ["./", "./hostname"], "/. copies the contents")
        #expect(try listing("/etc/hostname") == ["hostname"])
    }

    @Test(arguments: resolvers) func writesFollowTheContainersLinksInsideIt(walkOnly: Bool) throws {
        let tar = directory.path + "/payload.tar"
        try Shell.pythonTar(tar, ["file payload.txt pwned"])
        #expect(throws: ImageError.self) { try extract(tar, into: "/tmp/abs", walkOnly: walkOnly) }
        #expect(throws: ImageError.self) { try extract(tar, into: "/tmp/rel", walkOnly: walkOnly) }
        try extract(tar, into: "/tmp/etc", walkOnly: walkOnly)
        #expect(try String(contentsOfFile: root + "/etc/payload.txt", encoding: .utf8) == "pwned")
        #expect(try FileManager.default.contentsOfDirectory(atPath: host) == ["secret.txt"])
    }

    @Test(arguments: resolvers) func refusesHostileArchives(walkOnly: Bool) throws {
        let cases: [(String, [String], String)] = [
            ("dotdot", ["file ../../escape pwned"], "refusing archive entry ../../escape: its path leaves the target"),
            ("absolute", ["file \(host)/abs pwned"], "refusing archive entry with absolute path \(host)/abs"),
            ("through-link", ["symlink out \(host)", "file out/pwned gotcha"],
             "refusing archive entry out/pwned: it goes through a symlink the archive made"),
            ("hardlink", ["hardlink passwd ../../../etc/passwd"],
             "refusing archive entry ../../../etc/passwd: its link target leaves the target"),
            ("hardlink-abs", ["hardlink passwd /etc/passwd"],
             "refusing archive entry with absolute link target /etc/passwd"),
            ("device", ["chardev null"], "refusing archive entry null: device nodes are not extracted"),
            ("size", ["bigfile one 600", "bigfile two 600"],
             "refusing archive: it expands past the limit of 1000 bytes"),
        ]
        for (name, entries, message) in cases {
            let tar = directory.path + "/\(name).tar"
            try Shell.pythonTar(tar, entries)
            let error = try #require(throws: ImageError.self) {
                try extract(tar, into: "/tmp", ExtractOptions(maximumBytes: 1000), walkOnly: walkOnly)
            }
            #expect(error.message == message, "\(name)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: host) == ["secret.txt"])
        #expect(!exists(directory.path + "/escape"))
        #expect(!exists(root + "/tmp/null"))
        #expect(!exists(root + "/tmp/passwd"))
    }

    @Test func noOverwriteDirNonDir() throws {
        try FileManager.default.createDirectory(atPath: root + "/tmp/dir", withIntermediateDirectories: true)
        let tar = directory.path + "/file-over-dir.tar"
        try Shell.pythonTar(tar, ["file dir plain"])
        let error = try #require(throws: ImageError.self) {
            try extract(tar, into: "/tmp", ExtractOptions(noOverwriteDirNonDir: true))
        }
        #expect(error.message == "cannot overwrite directory \"dir\" with non-directory")
        try extract(tar, into: "/tmp")
        #expect(try String(contentsOfFile: root + "/tmp/dir", encoding: .utf8) == "plain")
    }
}
