import Testing
@testable import SpliceClient

@Suite("splice cp's argument and entry name rules")
struct CopyCommandTests {
    @Test func containerPathsSplitAsDockerSplitsThem() {
        #expect(SpliceCLI.splitCopyPath("box:/etc/hosts") == ("box", "/etc/hosts"))
        #expect(SpliceCLI.splitCopyPath("box:") == ("box", ""))
        #expect(SpliceCLI.splitCopyPath("/tmp/a:b") == (nil, "/tmp/a:b"), "an absolute path is local")
        #expect(SpliceCLI.splitCopyPath("./a:b") == (nil, "./a:b"))
        #expect(SpliceCLI.splitCopyPath("dir/a:b") == (nil, "dir/a:b"), "a slash before the colon is local")
        #expect(SpliceCLI.splitCopyPath("-") == (nil, "-"))
    }

    @Test func entriesAreRenamedAndHostileNamesRefused() throws {
        #expect(try LocalTar.renamed("newdir/file.txt", "copy") == "copy/file.txt")
        #expect(try LocalTar.renamed("./", "copy") == "copy")
        #expect(try LocalTar.renamed("file.txt", nil) == "file.txt")
        #expect(throws: ClientError.self) { try LocalTar.renamed("../escape", nil) }
        #expect(throws: ClientError.self) { try LocalTar.renamed("a/../../escape", "b") }
        #expect(throws: ClientError.self) { try LocalTar.renamed("/etc/passwd", nil) }
    }

    @Test func pathHelpersAreFilepaths() {
        #expect(SpliceCLI.baseName("/a/b/") == "b")
        #expect(SpliceCLI.baseName("/") == "/")
        #expect(SpliceCLI.parentDirectory("/a/b") == "/a")
        #expect(SpliceCLI.parentDirectory("/a") == "/")
        #expect(SpliceCLI.parentDirectory("b") == ".")
    }
}
