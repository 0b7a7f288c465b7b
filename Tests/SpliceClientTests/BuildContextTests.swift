import Foundation
import Glibc
import Testing
import TestSupport
@testable import SpliceClient

/// The build context `splice build` sends: `.dockerignore` rules and the tar itself, read back by GNU tar.
@Suite struct BuildContextTests {
    @Test func dockerignorePatterns() {
        let ignore = DockerignoreMatcher("""
            # comment
            *.log
            secret/
            **/*.tmp
            !keep.log
            docs/**/draft?.md
            """)
        #expect(ignore.excludes("a.log"))
        #expect(!ignore.excludes("keep.log"))
        #expect(!ignore.excludes("dir/a.log"))
        #expect(ignore.excludes("secret"))
        #expect(ignore.excludes("secret/inner/file"))
        #expect(ignore.excludes("x.tmp") && ignore.excludes("deep/er/x.tmp"))
        #expect(ignore.excludes("docs/a/b/draft1.md") && ignore.excludes("docs/draft2.md"))
        #expect(!ignore.excludes("docs/final.md"))
        #expect(ignore.hasExceptions)
        #expect(!DockerignoreMatcher("").excludes("anything"))
    }

    @Test func archiveHoldsWhatIsKept() throws {
        let base = NSTemporaryDirectory() + "splice-context-\(getpid())-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = base + "/ctx"
        let long = String(repeating: "n", count: 120)
        try FileManager.default.createDirectory(atPath: root + "/sub/" + long, withIntermediateDirectories: true)
        for (path, text) in [("Dockerfile", "FROM bb\n"), (".dockerignore", "*.log\nDockerfile\n"),
                             ("a.txt", String(repeating: "a", count: 1000)), ("b.log", "no\n"),
                             ("sub/\(long)/deep.txt", "deep\n")] {
            try text.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: "a.txt")
        let archive = try ContextArchive(directory: root, dockerfile: "Dockerfile")
        var bytes: [UInt8] = []
        let next = archive.pieces()
        while let piece = try next() { bytes += piece }
        #expect(bytes.count % 512 == 0)
        let tar = base + "/ctx.tar"
        try Data(bytes).write(to: URL(fileURLWithPath: tar))
        let listing = try run("/bin/tar", ["-tvf", tar])
        let names = try run("/bin/tar", ["-tf", tar]).split(separator: "\n").map(String.init)
        #expect(Set(names) == [".dockerignore", "Dockerfile", "a.txt", "link", "sub/", "sub/\(long)/",
                               "sub/\(long)/deep.txt"], "\(listing)")
        #expect(listing.contains("link -> a.txt"), "\(listing)")
        let out = base + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        _ = try run("/bin/tar", ["-xf", tar, "-C", out])
        #expect(try String(contentsOfFile: out + "/sub/\(long)/deep.txt", encoding: .utf8) == "deep\n")
        #expect(try String(contentsOfFile: out + "/a.txt", encoding: .utf8).count == 1000)
    }
}
