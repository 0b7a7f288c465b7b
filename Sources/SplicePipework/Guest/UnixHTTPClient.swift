import CLinuxShims
import Glibc
import SystemKit

/// A minimal HTTP/1.1 client over a unix socket, enough to ask a Docker-compatible engine one question.
struct UnixHTTPClient {
    /// The socket path, e.g. `/var/run/docker.sock`.
    let socketPath: String

    /// A decoded response.
    struct Response {
        let status: Int
        let body: [UInt8]
    }

    /// Sends `GET path` and reads the whole response (`Connection: close`), undoing chunked encoding.
    func get(_ path: String, timeoutMilliseconds: Int32 = 5000) throws(SystemError) -> Response {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .current("socket(AF_UNIX)") }
        let descriptor = FileDescriptor(owning: fd)
        guard var address = sockaddr_un(path: socketPath) else {
            throw SystemError("connect", errno: .range, path: socketPath)
        }
        let connected = withSocketAddress(&address) { connect(fd, $0, $1) }
        guard connected == 0 else { throw .current("connect", path: socketPath) }
        var timeout = timeval(tv_sec: Int(timeoutMilliseconds / 1000), tv_usec: Int(timeoutMilliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET \(path) HTTP/1.1\r\nHost: docker\r\nUser-Agent: splice-pipework\r\nConnection: close\r\n\r\n"
        try descriptor.write(Array(request.utf8))
        let raw = try descriptor.readAll()
        return try Self.parse(raw, path: path)
    }

    /// Splits status line, headers and body; de-chunks `Transfer-Encoding: chunked`.
    static func parse(_ raw: [UInt8], path: String) throws(SystemError) -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headerEnd = raw.firstRange(of: separator) else {
            throw SystemError("read HTTP response", errno: .ioError, path: path)
        }
        let head = String(decoding: raw[..<headerEnd.lowerBound], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw SystemError("read HTTP status", errno: .ioError, path: path)
        }
        let chunked = lines.dropFirst().contains {
            $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked")
        }
        let body = Array(raw[headerEnd.upperBound...])
        return Response(status: status, body: chunked ? try dechunk(body, path: path) : body)
    }

    static func dechunk(_ body: [UInt8], path: String) throws(SystemError) -> [UInt8] {
        var result: [UInt8] = []
        var offset = 0
        let crlf: [UInt8] = [13, 10]
        while offset < body.count {
            guard let lineEnd = body[offset...].firstRange(of: crlf) else { break }
            let sizeText = String(decoding: body[offset..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else {
                throw SystemError("read HTTP chunk", errno: .ioError, path: path)
            }
            if size == 0 { break }
            let start = lineEnd.upperBound
            guard start + size <= body.count else { throw SystemError("read HTTP chunk", errno: .ioError, path: path) }
            result += body[start..<(start + size)]
            offset = start + size + 2
        }
        return result
    }
}
