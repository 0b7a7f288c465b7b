#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import SpliceImages
import SystemKit
import struct EngineErrors.EngineError

/// A build context the daemon fetches itself (`POST /build?remote=…`, docker-py's `build(path=URL)`), as dockerd's
/// legacy builder does: a Git repository (`https://…/x.git#ref:dir`, `git://…`, `git@…`, `github.com/…`) is
/// cloned, any other `http://` or `https://` URL is downloaded and is either a tar (plain, gzip, bzip2 or xz) or,
/// answered as plain text, the Dockerfile itself. The result is a context tar for the builder; errors are dockerd's
/// words.
public enum RemoteContext {
    /// What a fetch made.
    public struct Fetched: Sendable, Equatable {
        /// The context tar (possibly compressed), to be removed by the build.
        public var archive: String
        /// The Dockerfile's name in it when the URL answered the Dockerfile itself (the build's `-f` is then moot).
        public var dockerfile: String?
        /// The bytes downloaded (0 for a Git clone).
        public var downloaded: Int64
    }

    /// How many leading bytes decide the type of a download whose server named none (dockerd's preamble).
    static let preambleLength = 100

    /// Fetches `remote` into a new context tar under `spool`.
    public static func fetch(_ remote: String, spool: String) async throws(EngineError) -> Fetched {
        if isGitURL(remote) { return try await cloneGit(remote, spool: spool) }
        guard isURL(remote) else {
            throw EngineError(.internal, "remoteURL (\(remote)) could not be recognized as URL")
        }
        return try await download(remote, spool: spool)
    }

    /// `http://` and `https://`, as dockerd's `urlutil.IsURL`.
    static func isURL(_ text: String) -> Bool { text.hasPrefix("http://") || text.hasPrefix("https://") }

    /// dockerd's `urlutil.IsGitURL`: a URL whose path ends in `.git` (a `#fragment` after it allowed), or one of the
    /// Git prefixes.
    static func isGitURL(_ text: String) -> Bool {
        if isURL(text) {
            if text.hasSuffix(".git") { return true }
            if let range = text.range(of: ".git#", options: .backwards), range.upperBound < text.endIndex,
               !text[range.upperBound...].contains("\n")
            {
                return true
            }
        }
        return ["git://", "github.com/", "git@"].contains { text.hasPrefix($0) }
    }

    /// A new file under `spool`, opened for writing.
    static func spoolFile(_ spool: String, _ kind: String) throws(EngineError) -> (path: String, descriptor: Int32) {
        mkdir(spool, 0o700)
        let path = spool + "/remote-\(kind)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let error = SystemError.current("open", path: path)
            throw EngineError(.internal, "cannot create \(path): \(error)", cause: error)
        }
        return (path, descriptor)
    }

    /// Downloads a tar or a Dockerfile; the server's `Content-Type` (or, when it sent none or
    /// `application/octet-stream`, the first bytes) decides which, as dockerd's `inspectResponse` does.
    static func download(_ url: String, spool: String) async throws(EngineError) -> Fetched {
        let (path, descriptor) = try spoolFile(spool, "context")
        do throws(EngineError) {
            defer { close(descriptor) }
            let answer: HTTPDownload.Answer
            do {
                answer = try await HTTPDownload.fetchAnswer(url, into: descriptor)
            } catch {
                throw EngineError(.internal, "error downloading remote context \(url): \(error.message)", cause: error)
            }
            guard answer.status < 400 else {
                let whitespace: Set<UInt8> = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20]
                let raw = try readPrefix(descriptor, 64 * 1024).drop { whitespace.contains($0) }
                let body = String(decoding: raw.reversed().drop { whitespace.contains($0) }.reversed(), as: UTF8.self)
                let message = "error downloading remote context \(url): failed to GET \(url) with status "
                    + "\(answer.status) \(answer.reason): \(body)"
                switch answer.status {
                case 404: throw EngineError(.notFound, message)
                case 400: throw EngineError(.invalidArgument, message)
                case 403: throw EngineError(.forbidden, message)
                default: throw EngineError(.internal, message)
                }
            }
            guard answer.size > 0 else {
                throw EngineError(.internal, "error detecting content type for remote \(url): empty response")
            }
            var contentType = answer.contentType
            if contentType.isEmpty || contentType == "application/octet-stream" {
                contentType = sniff(try readPrefix(descriptor, preambleLength))
            }
            guard let accepted = acceptable(contentType) else {
                throw EngineError(.internal, "error detecting content type for remote \(url): unsupported "
                    + "Content-Type \"\(answer.contentType)\"")
            }
            if accepted == "text/plain" {
                let dockerfile = try readPrefix(descriptor, Int(answer.size))
                unlink(path)
                return Fetched(archive: try dockerfileArchive(dockerfile, spool: spool), dockerfile: "Dockerfile",
                               downloaded: answer.size)
            }
            return Fetched(archive: path, dockerfile: nil, downloaded: answer.size)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// The first `count` bytes of the open file (fewer when it is shorter).
    static func readPrefix(_ descriptor: Int32, _ count: Int) throws(EngineError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes[filled...].withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, filled) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else {
                let error = SystemError.current("pread")
                throw EngineError(.internal, "cannot read the remote context: \(error)", cause: error)
            }
            if got == 0 { break }
            filled += got
        }
        return Array(bytes[..<filled])
    }

    /// The leftmost of the types dockerd accepts for a remote context found in `contentType` (its
    /// `acceptableRemoteMIME` expression), nil for none.
    static func acceptable(_ contentType: String) -> String? {
        let types = ["application/x-tar", "application/tar", "application/octet-stream", "application/x-gzip",
                     "application/gzip", "application/x-bzip2", "application/x-bzip", "application/bzip2",
                     "application/bzip", "application/x-xz", "application/xz", "text/plain"]
        var best: (offset: Int, type: String)?
        for type in types {
            guard let range = contentType.range(of: type) else { continue }
            let offset = contentType.distance(from: contentType.startIndex, to: range.lowerBound)
            if best == nil || offset < best?.offset ?? Int.max { best = (offset, type) }
        }
        return best?.type
    }

    /// The content type Go's `http.DetectContentType` gives the first bytes of a body, for the kinds that matter
    /// here: HTML and XML (refused), gzip and zip, plain text, and anything else binary.
    static func sniff(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0x1F, 0x8B, 0x08]) { return "application/x-gzip" }
        if bytes.starts(with: Array("PK\u{03}\u{04}".utf8)) { return "application/zip" }
        let trimmed = bytes.drop { [0x09, 0x0A, 0x0C, 0x0D, 0x20].contains($0) }
        let upper = String(decoding: trimmed.prefix(16), as: UTF8.self).uppercased()
        let html = ["<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE",
                    "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--"]
        for tag in html where upper.hasPrefix(tag) {
            let next = trimmed.dropFirst(tag.utf8.count).first
            if next == 0x20 || next == 0x3E { return "text/html; charset=utf-8" }
        }
        if upper.hasPrefix("<?XML") { return "text/xml; charset=utf-8" }
        let binary = bytes.contains {
            $0 <= 0x08 || $0 == 0x0B || (0x0E...0x1A).contains($0) || (0x1C...0x1F).contains($0)
        }
        return binary ? "application/octet-stream" : "text/plain; charset=utf-8"
    }

    /// A context tar holding only `Dockerfile` with `bytes` (a URL that answered the Dockerfile itself).
    static func dockerfileArchive(_ bytes: [UInt8], spool: String) throws(EngineError) -> String {
        let directory = spool + "/remote-dockerfile-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            try AtomicFile.makeDirectories(directory, mode: 0o700)
            let file = try FileDescriptor.open(directory + "/Dockerfile", O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
            try file.write(bytes)
        } catch {
            throw EngineError(.internal, "cannot write the remote Dockerfile: \(error)", cause: error)
        }
        return try archive(directory, spool: spool)
    }

    /// A context tar of everything under `directory` (symlinks archived as links, never followed).
    static func archive(_ directory: String, spool: String) throws(EngineError) -> String {
        let (path, descriptor) = try spoolFile(spool, "context")
        defer { close(descriptor) }
        do {
            let root = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
            let archiver = try TreeArchiver(writingTo: descriptor)
            try archiver.addChildren(of: root.rawValue, prefix: "")
            try archiver.finish()
        } catch {
            unlink(path)
            throw EngineError(.internal, "cannot archive the remote context: \(error)", cause: error)
        }
        return path
    }
}
