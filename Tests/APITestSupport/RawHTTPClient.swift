import Foundation
import Glibc
import SystemKit

/// A blocking unix-socket client that writes raw HTTP bytes and reads responses byte-exactly.
public final class RawHTTPClient {
    /// A failed socket call or a malformed response.
    public struct Failure: Error, CustomStringConvertible {
        /// What failed.
        public let description: String
    }

    /// A parsed response head.
    public struct Head: Sendable {
        /// `HTTP/1.1 200 OK`.
        public let statusLine: String
        /// The header fields in order.
        public let headers: [(String, String)]

        /// The first value of header `name`, any case.
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        /// The header names in order.
        public var names: [String] { headers.map(\.0) }
    }

    private let fd: Int32
    private var pending: [UInt8] = []

    /// Connects to the unix socket at `path`.
    public init(path: String, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        guard var address = sockaddr_un(path: path) else {
            close(fd)
            throw Failure(description: "socket path too long: \(path)")
        }
        guard withSocketAddress(&address, { connect(fd, $0, $1) }) == 0 else {
            close(fd)
            throw Failure(description: "connect \(path): errno \(errno)")
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Connects to `127.0.0.1:port` over TCP.
    public init(tcpPort: Int, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(tcpPort).bigEndian)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        guard withSocketAddress(&address, { connect(fd, $0, $1) }) == 0 else {
            close(fd)
            throw Failure(description: "connect 127.0.0.1:\(tcpPort): errno \(errno)")
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Writes `text` as UTF-8.
    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Writes all of `bytes`.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += written
        }
    }

    /// `shutdown(SHUT_WR)`, as the CLI does on a hijacked connection without stdin.
    public func halfClose() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads more bytes; false at EOF.
    private func fill() throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 { throw Failure(description: "recv: errno \(errno) (timeout?)") }
        if count == 0 { return false }
        pending += buffer[0..<count]
        return true
    }

    /// One `recv` of whatever the socket holds now (at most 64 KiB), bypassing what earlier reads buffered.
    public func receiveOnce() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 { throw Failure(description: "recv: errno \(errno) (timeout?)") }
        return Array(buffer[0..<count])
    }

    /// Reads exactly `count` bytes.
    public func readExactly(_ count: Int) throws -> [UInt8] {
        while pending.count < count {
            guard try fill() else { throw Failure(description: "EOF after \(pending.count) of \(count) bytes") }
        }
        let result = Array(pending[0..<count])
        pending.removeFirst(count)
        return result
    }

    /// Reads one line without its CRLF.
    public func readLine() throws -> String {
        while true {
            if let index = pending.firstIndex(of: 0x0A) {
                let line = pending[0..<index]
                pending.removeFirst(index + 1)
                return String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
            }
            guard try fill() else { throw Failure(description: "EOF inside a line") }
        }
    }

    /// The raw bytes of the head up to and including the blank line.
    public func readRawHead() throws -> String {
        while true {
            if let range = findHeadEnd() {
                let head = pending[0..<range]
                pending.removeFirst(range)
                return String(decoding: head, as: UTF8.self)
            }
            guard try fill() else { throw Failure(description: "EOF inside the head") }
        }
    }

    private func findHeadEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for index in 0...(pending.count - 4)
        where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    /// Reads and parses a response head.
    public func readHead() throws -> Head {
        let lines = try readRawHead().components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let headers = lines.dropFirst().map { line -> (String, String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
        }
        return Head(statusLine: lines.first ?? "", headers: headers)
    }

    /// The next chunk of a chunked body, nil at the terminating chunk.
    public func readChunk() throws -> [UInt8]? {
        let sizeLine = try readLine()
        guard let size = Int(sizeLine, radix: 16) else { throw Failure(description: "bad chunk size \(sizeLine)") }
        if size == 0 {
            _ = try readLine()
            return nil
        }
        let data = try readExactly(size)
        _ = try readExactly(2)
        return data
    }

    /// Reads one full response (head and body by its framing); `head` requests have no body.
    public func readResponse(isHead: Bool = false) throws -> (head: Head, body: [UInt8]) {
        let head = try readHead()
        let status = Int(head.statusLine.split(separator: " ")[1]) ?? 0
        if isHead || status == 204 || status == 304 { return (head, []) }
        if let length = head.header("Content-Length").flatMap(Int.init) { return (head, try readExactly(length)) }
        if head.header("Transfer-Encoding") == "chunked" {
            var body: [UInt8] = []
            while let chunk = try readChunk() { body += chunk }
            return (head, body)
        }
        return (head, try readToEnd())
    }

    /// Reads until the server closes the connection.
    public func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { pending = [] }
        return pending
    }
}

/// Runs blocking socket work on its own thread so the cooperative pool stays free for the server.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        guard KernelThread.detach({ continuation.resume(with: Result { try body() }) }) else {
            continuation.resume(throwing: RawHTTPClient.Failure(description: "no thread for blocking work"))
            return
        }
    }
}

/// Parses a JSON body into a dictionary for shape checks.
public func jsonObject(_ bytes: [UInt8]) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
}

/// Parses a JSON body into an array for shape checks.
public func jsonArray(_ bytes: [UInt8]) throws -> [[String: Any]] {
    try JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: Any]] ?? []
}
