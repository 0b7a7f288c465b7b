import NIOHTTP1
import struct EngineErrors.EngineError

/// A route's answer; the connection handler turns it into HTTP framing.
struct APIResponse: Sendable {
    /// How the body is sent.
    enum Body: Sendable {
        /// No body: `Content-Length: 0`, or nothing for 204 and 304.
        case empty
        /// A small body with `Content-Length`.
        case bytes([UInt8])
        /// A body sent chunked in one chunk (dockerd does this for `info` and inspect).
        case chunked([UInt8])
        /// Headers at once, then one chunk when the function returns (`wait`).
        case deferred(@Sendable () async -> [UInt8])
        /// Chunked, one chunk per element, flushed as produced (logs, events, progress).
        case stream(AsyncThrowingStream<[UInt8], any Error>)
        /// `101 UPGRADED`, then a raw bidirectional stream (attach, exec start).
        case hijack(HijackSession)
    }

    /// Status.
    var status: HTTPResponseStatus
    /// Route-specific headers (the common ones are added by the router).
    var headers: [(String, String)]
    /// Body.
    var body: Body

    /// Creates a response.
    init(status: HTTPResponseStatus, headers: [(String, String)] = [], body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `application/json` with `Content-Length`.
    static func json<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) throws -> APIResponse {
        APIResponse(status: status, headers: [("Content-Type", "application/json")], body: .bytes(try JSONBody.encode(value)))
    }

    /// `application/json`, chunked in one chunk.
    static func chunkedJSON<T: Encodable>(_ value: T) throws -> APIResponse {
        APIResponse(status: .ok, headers: [("Content-Type", "application/json")], body: .chunked(try JSONBody.encode(value)))
    }

    /// Docker's error body `{"message":"..."}` with the status for `error.code`.
    static func error(_ error: EngineError) -> APIResponse {
        let body = (try? JSONBody.encode(ErrorBody(message: error.message))) ?? Array("{}\n".utf8)
        return APIResponse(status: error.httpStatus, headers: [("Content-Type", "application/json")], body: .bytes(body))
    }

    private struct ErrorBody: Encodable {
        let message: String
    }
}
