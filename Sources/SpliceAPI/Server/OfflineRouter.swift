import Logging
import NIOHTTP1

/// The server's request handling without a socket: a decoded request (method, target, headers, body) goes through
/// the same version checks, percent-decoding, query parsing and route table as on a connection, and the answer's
/// status comes back. The `http` fuzz target drives it behind NIO's request decoder.
public struct OfflineRouter: Sendable {
    private let router: Router

    /// A router over the full route table in front of `engine`, logging nothing.
    public init(engine: any DockerEngine) {
        router = Router(engine: engine, serverVersion: "0.0.0",
                        logger: Logger(label: "splice.offline", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// The HTTP status the server answers the request with (a hijack's is 101 or 200, never written here).
    public func respond(method: HTTPMethod, uri: String, headers: HTTPHeaders, body: RequestBody) async -> UInt {
        await router.respond(method: method, uri: uri, headers: headers, body: body).status.code
    }
}
