import Foundation
import Glibc
import SpliceImages
import TestSupport
import Testing

@Suite struct LayerUnpackerTests {
    let directory: TemporaryDirectory
    let target: String

    init() throws {
        directory = try TemporaryDirectory()
        target = directory.path + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
    }

    func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The diff id and size come from the one extracting pass: the sha256 and length of the uncompressed tar (its
    /// end-of-archive padding included), whatever the compression.
    @Test(arguments: ["", "gzip", "xz"])
    func reportsTheDiffIDAndSizeOfTheUncompressedTar(compressor: String) throws {
        let layer = directory.path + "/layer.tar"
        try Shell.pythonTar(layer, ["dir a", "file a/one one", "file b two"])
        let diffID = try Shell.sha256(layer)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: layer)[.size] as? NSNumber)
        var archive = layer
        if !compressor.isEmpty {
            _ = try Shell.sh("\(compressor) -k '\(layer)'")
            archive = layer + (compressor == "gzip" ? ".gz" : ".xz")
        }
        let summary = try LayerUnpacker.unpack(archiveAt: archive, into: target, whiteouts: .apply)
        #expect(summary.diffID.description == diffID)
        #expect(summary.size == size.int64Value)
        #expect(try String(contentsOfFile: target + "/a/one", encoding: .utf8) == "one")
    }

    @Test func appliesWhiteoutsAndOpaqueDirectories() throws {
        let lower = directory.path + "/lower.tar"
        let upper = directory.path + "/upper.tar"
        try Shell.pythonTar(
            lower,
            [
                "dir a", "file a/gone one", "file a/kept two", "dir d", "file d/old three", "dir d/sub",
                "file d/sub/x four",
            ])
        try Shell.pythonTar(
            upper,
            [
                "dir d", "file d/new five", "file d/.wh..wh..opq ", "file a/.wh.gone ", "file .wh.nothing-here ",
            ])
        try LayerUnpacker.unpack(archiveAt: lower, into: target, whiteouts: .apply)
        try LayerUnpacker.unpack(archiveAt: upper, into: target, whiteouts: .apply)
        #expect(!exists(target + "/a/gone"))
        #expect(exists(target + "/a/kept"))
        #expect(!exists(target + "/d/old"))
        #expect(!exists(target + "/d/sub"))
        #expect(try String(contentsOfFile: target + "/d/new", encoding: .utf8) == "five")
        #expect(!exists(target + "/d/.wh..wh..opq"))
        #expect(!exists(target + "/a/.wh.gone"))
    }

    @Test(.enabled(if: Privileges.canCreateNamespaces, "needs root for 0:0 device whiteouts and trusted.* xattrs"))
    func writesOverlayWhiteouts() throws {
        let layer = directory.path + "/layer.tar"
        try Shell.pythonTar(layer, ["file a/.wh.gone ", "dir d", "file d/.wh..wh..opq ", "file d/new x"])
        try LayerUnpacker.unpack(archiveAt: layer, into: target, whiteouts: .overlay)
        var info = stat()
        #expect(lstat(target + "/a/gone", &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFCHR)
        #expect(info.st_rdev == 0)
        let opaque = try run(
            "/usr/bin/python3",
            ["-c", "import os,sys; print(os.getxattr(sys.argv[1], 'trusted.overlay.opaque').decode())", target + "/d"])
        #expect(opaque == "y\n")
        #expect(exists(target + "/d/new"))
    }

    @Test func refusesDotDotEscape() throws {
        let layer = directory.path + "/evil.tar"
        try Shell.pythonTar(layer, ["file ok fine", "file ../escape pwned"])
        #expect(throws: ImageError.self) { try LayerUnpacker.unpack(archiveAt: layer, into: target, whiteouts: .apply) }
        #expect(!exists(directory.path + "/escape"))
        let nested = directory.path + "/nested.tar"
        try Shell.pythonTar(nested, ["dir a", "file a/../../escape2 pwned"])
        #expect(throws: ImageError.self) {
            try LayerUnpacker.unpack(archiveAt: nested, into: target, whiteouts: .apply)
        }
        #expect(!exists(directory.path + "/escape2"))
        let whiteout = directory.path + "/whiteout.tar"
        try FileManager.default.createDirectory(atPath: directory.path + "/victim", withIntermediateDirectories: true)
        try Shell.pythonTar(whiteout, ["file ../.wh.victim "])
        #expect(throws: ImageError.self) {
            try LayerUnpacker.unpack(archiveAt: whiteout, into: target, whiteouts: .apply)
        }
        #expect(exists(directory.path + "/victim"))
    }

    @Test func refusesAbsolutePaths() throws {
        let outside = directory.path + "/outside-abs"
        let layer = directory.path + "/abs.tar"
        try Shell.pythonTar(layer, ["file \(outside) pwned"])
        let error = try #require(throws: ImageError.self) {
            try LayerUnpacker.unpack(archiveAt: layer, into: target, whiteouts: .apply)
        }
        #expect(error.message == "refusing layer entry with absolute path \(outside)")
        #expect(!exists(outside))
        #expect(!exists(target + outside))
        let hardlink = directory.path + "/abs-link.tar"
        try Shell.pythonTar(hardlink, ["hardlink passwd /etc/passwd"])
        #expect(throws: ImageError.self) {
            try LayerUnpacker.unpack(archiveAt: hardlink, into: target, whiteouts: .apply)
        }
        #expect(!exists(target + "/passwd"))
    }

    @Test func refusesDeviceNodes() throws {
        for kind in ["chardev", "blockdev"] {
            let layer = directory.path + "/\(kind).tar"
            try Shell.pythonTar(layer, ["\(kind) dev/\(kind)"])
            let error = try #require(throws: ImageError.self) {
                try LayerUnpacker.unpack(archiveAt: layer, into: target, whiteouts: .apply)
            }
            #expect(error.message == "refusing layer entry dev/\(kind): device nodes are not extracted")
            #expect(!exists(target + "/dev/\(kind)"))
        }
    }

    @Test func refusesALayerPastTheSizeLimit() throws {
        let layer = directory.path + "/big.tar"
        try Shell.pythonTar(layer, ["bigfile one 600", "bigfile two 600"])
        let error = try #require(throws: ImageError.self) {
            try LayerUnpacker.unpack(archiveAt: layer, into: target, whiteouts: .apply, maximumBytes: 1000)
        }
        #expect(error.message == "refusing layer: it expands past the limit of 1000 bytes")
        #expect(!exists(target + "/two"))
        try LayerUnpacker.unpack(archiveAt: layer, into: target, whiteouts: .apply, maximumBytes: 1200)
        #expect(exists(target + "/two"))
    }

    @Test func refusesWritingThroughSymlinks() throws {
        let outside = directory.path + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let layer = directory.path + "/symlink.tar"
        try Shell.pythonTar(layer, ["symlink link \(outside)", "file link/pwned gotcha"])
        #expect(throws: ImageError.self) { try LayerUnpacker.unpack(archiveAt: layer, into: target, whiteouts: .apply) }
        #expect(!exists(outside + "/pwned"))

        let relative = directory.path + "/relative.tar"
        try Shell.pythonTar(relative, ["symlink up ..", "file up/pwned2 gotcha"])
        #expect(throws: ImageError.self) {
            try LayerUnpacker.unpack(archiveAt: relative, into: target, whiteouts: .apply)
        }
        #expect(!exists(directory.path + "/pwned2"))

        let whiteout = directory.path + "/whiteout-link.tar"
        try FileManager.default.createDirectory(atPath: outside + "/precious", withIntermediateDirectories: true)
        try Shell.pythonTar(whiteout, ["symlink l2 \(outside)", "file l2/.wh.precious "])
        #expect(throws: ImageError.self) {
            try LayerUnpacker.unpack(archiveAt: whiteout, into: target, whiteouts: .apply)
        }
        #expect(exists(outside + "/precious"))

        let hardlink = directory.path + "/hardlink.tar"
        try Shell.pythonTar(hardlink, ["hardlink hl ../outside/precious"])
        #expect(throws: ImageError.self) {
            try LayerUnpacker.unpack(archiveAt: hardlink, into: target, whiteouts: .apply)
        }
    }

    @Test func symlinksThemselvesAreFine() throws {
        let layer = directory.path + "/links.tar"
        try Shell.pythonTar(
            layer, ["dir bin", "file bin/busybox elf", "symlink bin/sh busybox", "symlink etc-link /etc"])
        try LayerUnpacker.unpack(archiveAt: layer, into: target, whiteouts: .apply)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target + "/bin/sh") == "busybox")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target + "/etc-link") == "/etc")
    }
}
