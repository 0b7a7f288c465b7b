import Testing

@testable import SpliceEngine
import struct EngineErrors.EngineError

/// How a `remote=` value is told apart and taken apart, as dockerd's `urlutil` and `parseRemoteURL` do, and how a
/// download's type is decided.
@Suite("remote build context parsing")
struct RemoteContextParsingTests {
    @Test func gitURLsAreToldFromOtherURLs() {
        for git in ["https://example.invalid/x.git", "http://127.0.0.1:8/repo.git#main:sub", "git://h/r",
                    "git@github.com:o/r.git", "github.com/o/r", "https://h/r.git#v1"] {
            #expect(RemoteContext.isGitURL(git), "\(git)")
        }
        for other in ["https://h/ctx.tar", "http://h/Dockerfile", "https://h/x.git.tar", "https://h/r.git#",
                      "ftp://h/r.git", "/local/dir"] {
            #expect(!RemoteContext.isGitURL(other), "\(other)")
        }
        #expect(RemoteContext.isURL("http://h/x") && RemoteContext.isURL("https://h/x"))
        #expect(!RemoteContext.isURL("ftp://h/x"))
    }

    @Test func gitRemotesSplitRefAndDirectory() throws {
        let full = try RemoteContext.GitRemote("https://h/r.git#v1:sub/dir")
        #expect([full.repository, full.ref, full.subdirectory] == ["https://h/r.git", "v1", "sub/dir"])
        let bare = try RemoteContext.GitRemote("github.com/o/r")
        #expect([bare.repository, bare.ref, bare.subdirectory] == ["https://github.com/o/r", "", ""])
        let ssh = try RemoteContext.GitRemote("git@h:o/r.git#:ctx")
        #expect([ssh.repository, ssh.ref, ssh.subdirectory] == ["git@h:o/r.git", "", "ctx"])
        #expect(throws: EngineError.self) { try RemoteContext.GitRemote("https://h/r.git#--upload-pack=x") }
    }

    @Test func contentTypesAreAcceptedAsDockerdAccepts() {
        #expect(RemoteContext.acceptable("application/x-tar") == "application/x-tar")
        #expect(RemoteContext.acceptable("application/gzip") == "application/gzip")
        #expect(RemoteContext.acceptable("text/plain; charset=utf-8") == "text/plain")
        #expect(RemoteContext.acceptable("application/x-xz") == "application/x-xz")
        #expect(RemoteContext.acceptable("text/html") == nil)
        #expect(RemoteContext.acceptable("application/zip") == nil)
        #expect(RemoteContext.sniff(Array("FROM bb\nRUN true\n".utf8)) == "text/plain; charset=utf-8")
        #expect(RemoteContext.sniff([0x1F, 0x8B, 0x08, 0x00]) == "application/x-gzip")
        #expect(RemoteContext.sniff(Array("./\0\0\0\0".utf8)) == "application/octet-stream")
        #expect(RemoteContext.sniff(Array("  <html><body>".utf8)).hasPrefix("text/html"))
        #expect(RemoteContext.sniff(Array("<abc>".utf8)).hasPrefix("text/plain"))
    }
}
