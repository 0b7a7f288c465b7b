/// A response head plus an incremental body reader (Content-Length, chunked, or until EOF).
public final class HTTPResponse {
    /// How the body is framed.
    private enum Framing {
        case length(Int)
        case chunked
        case untilEOF
        case none
    }

    /// Status code.
    public let status: Int
    /// Headers with lowercased names.
    public let headers: [String: String]
    private let source: any ByteSource
    private var framing: Framing
    private var chunkRemaining = 0
    private var finished = false

    /// Reads the status line and headers from `source`; `isHead` means no body follows.
    public init(reading source: any ByteSource, isHead: Bool = false) throws(ClientError) {
        self.source = source
        guard let statusLine = try source.readLine() else { throw .transport("daemon closed the connection") }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]) else {
            throw .transport("malformed response from daemon: \(statusLine)")
        }
        status = code
        var headers: [String: String] = [:]
        while let line = try source.readLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
            headers[name] = String(value)
        }
        self.headers = headers
        if isHead || code == 204 || code == 304 || (100..<200).contains(code) {
            framing = .none
        } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            framing = .chunked
        } else if let length = headers["content-length"].flatMap({ Int($0) }) {
            framing = .length(length)
        } else {
            framing = .untilEOF
        }
    }

    /// The next piece of the body; nil when the body is complete.
    public func nextChunk() throws(ClientError) -> [UInt8]? {
        guard !finished else { return nil }
        switch framing {
        case .none:
            finished = true
            return nil
        case .length(let remaining):
            guard remaining > 0 else {
                finished = true
                return nil
            }
            guard let bytes = try source.readSome() else { throw .transport("unexpected EOF from daemon") }
            if bytes.count > remaining {
                throw .transport("daemon sent more bytes than Content-Length")
            }
            framing = .length(remaining - bytes.count)
            return bytes
        case .untilEOF:
            guard let bytes = try source.readSome() else {
                finished = true
                return nil
            }
            return bytes
        case .chunked:
            return try nextChunkedPiece()
        }
    }

    private func nextChunkedPiece() throws(ClientError) -> [UInt8]? {
        guard let sizeLine = try source.readLine() else { throw .transport("unexpected EOF in chunked body") }
        let hex = sizeLine.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces } ?? ""
        guard let size = Int(hex, radix: 16), size >= 0 else {
            throw .transport("malformed chunk size \"\(sizeLine)\"")
        }
        if size == 0 {
            while let trailer = try source.readLine(), !trailer.isEmpty {}
            finished = true
            return nil
        }
        let bytes = try source.readExactly(size)
        guard let terminator = try source.readLine(), terminator.isEmpty else {
            throw .transport("malformed chunk terminator")
        }
        return bytes
    }

    /// Reads the rest of the body.
    public func readBody() throws(ClientError) -> [UInt8] {
        var body: [UInt8] = []
        while let piece = try nextChunk() { body += piece }
        return body
    }

    /// The daemon's error text: `message` of a JSON body, or the raw body.
    public static func errorMessage(_ body: [UInt8]) -> String {
        if let value = try? JSONValue.parse(body), case .string(let text)? = value["message"] {
            return text
        }
        var text = String(decoding: body, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
