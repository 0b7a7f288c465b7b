import DockerModels
import FoundationEssentials
import struct SystemKit.PhaseTimer

/// Engine API client: one connection per request. The first request goes out with this client's own API version
/// and its answer's `Api-Version` header settles the version, so `run` saves the round trip of a ping; only a
/// daemon older than that version (a 400 naming a lower `Api-Version`) makes it negotiate with `HEAD /_ping` and
/// send the request again. Streamed uploads, which cannot be sent twice, negotiate first.
public final class DockerClient {
    /// The daemon's address.
    public let endpoint: Endpoint
    private var negotiated: String?
    /// Receives one line per request (method, target, status, time to the response head) when set: `splice -D`.
    public var debug: ((String) -> Void)?

    /// The newest API version this client speaks.
    public static let clientVersion = APIVersion.maximum.description

    /// Creates a client for `endpoint`; `apiVersion` skips the negotiation when already known.
    public init(endpoint: Endpoint, apiVersion: String? = nil) {
        self.endpoint = endpoint
        negotiated = apiVersion
    }

    /// The negotiated API version (`min(1.41, Api-Version)`; 1.24 when the ping has no header).
    public func apiVersion() throws(ClientError) -> String {
        if let negotiated { return negotiated }
        var response = try exchange(method: "HEAD", path: "/_ping", versioned: false, isHead: true)
        if response.status >= 400 {
            response = try exchange(method: "GET", path: "/_ping", versioned: false)
            _ = try response.readBody()
        }
        var version = "1.24"
        if let header = response.headers["api-version"], let server = APIVersion(Substring(header)) {
            version = min(server, APIVersion.maximum).description
        }
        negotiated = version
        return version
    }

    /// Percent-encodes a query component as Go's `url.QueryEscape` does.
    public static func queryEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// Percent-encodes a path segment (keeps `/` and `:` as the CLI does for names).
    public static func pathEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-_.~/:@".utf8.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    private func target(_ path: String, query: [(String, String)], versioned: Bool) throws(ClientError) -> String {
        var target = versioned ? "/v\(negotiated ?? Self.clientVersion)\(path)" : path
        if !query.isEmpty {
            let sorted = query.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
            target += "?" + sorted.map { "\(Self.queryEscape($0.0))=\(Self.queryEscape($0.1))" }.joined(separator: "&")
        }
        return target
    }

    private func head(_ method: String, _ target: String, _ headers: [(String, String)]) -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: api.moby.localhost\r\nUser-Agent: Splice-Client/0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// Sends one request on a new connection and reads the response head.
    public func exchange(method: String, path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                         contentType: String = "application/json", versioned: Bool = true,
                         isHead: Bool = false, headers extra: [(String, String)] = []) throws(ClientError) -> HTTPResponse {
        let speculative = versioned && negotiated == nil
        let response = try send(method: method, path: path, query: query, body: body, contentType: contentType,
                                versioned: versioned, isHead: isHead, headers: extra)
        guard speculative, try settleVersion(from: response) else { return response }
        return try send(method: method, path: path, query: query, body: body, contentType: contentType,
                        versioned: versioned, isHead: isHead, headers: extra)
    }

    /// After the first versioned answer: adopts `min(client, Api-Version)`. Returns true when the daemon refused
    /// the client's version (a 400 with a lower `Api-Version`): the version is then negotiated with a ping, and the
    /// request must be sent again.
    private func settleVersion(from response: HTTPResponse) throws(ClientError) -> Bool {
        let server = response.headers["api-version"].flatMap { APIVersion(Substring($0)) }
        if response.status == 400, let server, server < APIVersion.maximum {
            _ = try? response.readBody()
            _ = try apiVersion()
            return true
        }
        if negotiated == nil { negotiated = min(server ?? APIVersion.maximum, APIVersion.maximum).description }
        return false
    }

    /// Sends one request on a new connection and reads the response head.
    private func send(method: String, path: String, query: [(String, String)], body: [UInt8]?, contentType: String,
                      versioned: Bool, isHead: Bool, headers extra: [(String, String)]) throws(ClientError)
        -> HTTPResponse
    {
        let target = try target(path, query: query, versioned: versioned)
        let started = ContinuousClock.now
        let connection = try SocketConnection(endpoint)
        var headers = extra
        if let body {
            headers.append(("Content-Type", contentType))
            headers.append(("Content-Length", String(body.count)))
        } else if method == "POST" || method == "PUT" {
            headers.append(("Content-Length", "0"))
        }
        try connection.write(head(method, target, headers) + (body ?? []))
        let response = try HTTPResponse(reading: connection, isHead: isHead)
        trace(method, target, response.status, since: started)
        return response
    }

    /// The `-D` line of one request.
    private func trace(_ method: String, _ target: String, _ status: Int, since started: ContinuousClock.Instant) {
        guard let debug else { return }
        debug("\(method) \(target) \(status) in \(PhaseTimer.milliseconds(ContinuousClock.now - started))")
    }

    /// Sends a request, throws `ClientError.daemon` for statuses of 400 and above, and returns the response.
    public func checked(method: String, path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                        headers: [(String, String)] = []) throws(ClientError) -> HTTPResponse {
        let response = try exchange(method: method, path: path, query: query, body: body, headers: headers)
        if response.status >= 400 {
            throw .daemon(status: response.status, message: HTTPResponse.errorMessage(try response.readBody()))
        }
        return response
    }

    /// Sends a request and returns the whole body, throwing on error statuses.
    public func call(_ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil)
        throws(ClientError) -> [UInt8] {
        try checked(method: method, path: path, query: query, body: body).readBody()
    }

    /// Sends a request and decodes the JSON answer as `T`.
    public func decode<T: Decodable>(_ type: T.Type, _ method: String, _ path: String, query: [(String, String)] = [],
                                     body: [UInt8]? = nil) throws(ClientError) -> T {
        let bytes = try call(method, path, query: query, body: body)
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw .transport("cannot decode daemon response: \(error)")
        }
    }

    /// Encodes `value` as a JSON request body.
    public static func encode<T: Encodable>(_ value: T) throws(ClientError) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(value))
        } catch {
            throw .transport("cannot encode request: \(error)")
        }
    }

    /// Streams an upload with `Transfer-Encoding: chunked`; `next` returns nil at the end.
    public func upload(_ method: String, _ path: String, query: [(String, String)], contentType: String,
                       next: () throws(ClientError) -> [UInt8]?) throws(ClientError) -> HTTPResponse {
        _ = try apiVersion()  // a streamed body cannot be sent twice
        let target = try target(path, query: query, versioned: true)
        let connection = try SocketConnection(endpoint)
        try connection.write(head(method, target, [("Content-Type", contentType), ("Transfer-Encoding", "chunked")]))
        while let piece = try next() {
            guard !piece.isEmpty else { continue }
            try connection.write(Array((String(piece.count, radix: 16) + "\r\n").utf8) + piece + Array("\r\n".utf8))
        }
        try connection.write(Array("0\r\n\r\n".utf8))
        let response = try HTTPResponse(reading: connection)
        if response.status >= 400 {
            throw .daemon(status: response.status, message: HTTPResponse.errorMessage(try response.readBody()))
        }
        return response
    }

    /// Opens a hijacked stream (`Upgrade: tcp`); returns the connection positioned after the 101 head.
    /// `body` is sent as JSON (exec start); without one the request is `text/plain` with no body (attach).
    public func hijack(_ path: String, query: [(String, String)], body: [UInt8]? = nil)
        throws(ClientError) -> SocketConnection {
        _ = try apiVersion()  // settled by an earlier request, else negotiated now
        let target = try target(path, query: query, versioned: true)
        let started = ContinuousClock.now
        let connection = try SocketConnection(endpoint)
        let type = body == nil ? "text/plain" : "application/json"
        try connection.write(head("POST", target, [("Content-Length", String(body?.count ?? 0)),
                                                     ("Connection", "Upgrade"), ("Content-Type", type),
                                                     ("Upgrade", "tcp")]) + (body ?? []))
        let response = try HTTPResponse(reading: connection)
        trace("POST", target, response.status, since: started)
        if response.status >= 400 {
            throw .daemon(status: response.status, message: HTTPResponse.errorMessage(try response.readBody()))
        }
        guard response.status == 101 || response.status == 200 else {
            throw .transport("unexpected status \(response.status) for attach")
        }
        return connection
    }
}
