#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemKit

/// A blocking stream socket to the daemon with a read buffer; closed on deinit.
public final class SocketConnection {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var closed = false

    /// Connects to `endpoint`.
    public init(_ endpoint: Endpoint) throws(ClientError) {
        switch endpoint {
        case .unix(let path): fd = try Self.connectUnix(path)
        case .tcp(let host, let port): fd = try Self.connectTCP(host: host, port: port)
        }
    }

    /// Takes ownership of an already connected stream socket (a socketpair end in tests, an inherited fd).
    public init(adopting fd: Int32) { self.fd = fd }

    deinit { close() }

    /// Closes the socket.
    public func close() {
        guard !closed else { return }
        closed = true
        _ = Glibc.close(fd)
    }

    private static func connectUnix(_ path: String) throws(ClientError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .transport("socket: \(errnoText())") }
        guard var address = sockaddr_un(path: path) else {
            _ = Glibc.close(fd)
            throw .transport("socket path too long: \(path)")
        }
        guard withSocketAddress(&address, { connect(fd, $0, $1) }) == 0 else {
            let text = errnoText()
            _ = Glibc.close(fd)
            throw .transport("Cannot connect to the Splice daemon at unix://\(path). Is the splice daemon running? "
                + "(\(text))")
        }
        return fd
    }

    private static func connectTCP(host: String, port: Int) throws(ClientError) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw .transport("Cannot connect to the Splice daemon at tcp://\(host):\(port): cannot resolve host")
        }
        defer { freeaddrinfo(list) }
        var current: UnsafeMutablePointer<addrinfo>? = first
        while let info = current {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue),
                            info.pointee.ai_protocol)
            if fd >= 0 {
                if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
                _ = Glibc.close(fd)
            }
            current = info.pointee.ai_next
        }
        throw .transport("Cannot connect to the Splice daemon at tcp://\(host):\(port). Is the splice daemon running? "
            + "(\(errnoText()))")
    }

    private static func errnoText() -> String {
        guard let text = strerror(errno) else { return "errno \(errno)" }
        return String(cString: text)
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(ClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .transport("write to daemon: \(Self.errnoText())")
            }
            offset += written
        }
    }

    /// The socket's file descriptor (for the stdin pump of an attached session, which writes from its own thread).
    public var descriptor: Int32 { fd }

    /// Half-closes the write side (used on hijacked connections without stdin).
    public func shutdownWrite() { _ = shutdown(fd, Int32(SHUT_WR)) }

    /// Reads more bytes into the buffer; false at EOF.
    private func fill() throws(ClientError) -> Bool {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .transport("read from daemon: \(Self.errnoText())")
            }
            if count == 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    /// Reads one CRLF- (or LF-) terminated line without the terminator; nil at EOF before any byte.
    public func readLine() throws(ClientError) -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = newline + 1
                return line
            }
            if try !fill() {
                guard start < buffer.count else { return nil }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                return line
            }
        }
    }

    /// Reads exactly `count` bytes; throws on early EOF.
    public func readExactly(_ count: Int) throws(ClientError) -> [UInt8] {
        while buffer.count - start < count {
            guard try fill() else { throw .transport("unexpected EOF from daemon") }
        }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        return bytes
    }

    /// Reads whatever is available (at least one byte); nil at EOF.
    public func readSome() throws(ClientError) -> [UInt8]? {
        if start == buffer.count {
            guard try fill() else { return nil }
        }
        let bytes = Array(buffer[start...])
        start = buffer.count
        return bytes
    }
}
