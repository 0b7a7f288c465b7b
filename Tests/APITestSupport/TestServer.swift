import Foundation
import SpliceAPI

/// An in-process server on a fresh temporary unix socket with a `FakeEngine` behind it.
public struct TestServer: Sendable {
    /// The running server.
    public let server: APIServer
    /// The fake behind it, for the calls it recorded.
    public let engine: FakeEngine
    /// The temporary directory that holds the socket.
    public let directory: String
    /// The server's unix socket.
    public var socketPath: String { server.configuration.socketPath }

    /// Wraps a server already started (with its own configuration) for the suites' helpers.
    public init(server: APIServer, engine: FakeEngine, directory: String) {
        self.server = server
        self.engine = engine
        self.directory = directory
    }

    /// Starts a server for `engine` on a new socket (each suite's `start()` picks its fake's behaviour).
    public static func start(engine: FakeEngine) async throws -> TestServer {
        let directory = NSTemporaryDirectory() + "splice-api-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let configuration = APIServerConfiguration(socketPath: directory + "/api.sock")
        let server = try await APIServer.start(engine: engine, configuration: configuration)
        return TestServer(server: server, engine: engine, directory: directory)
    }

    /// A new raw connection to the server.
    public func client() throws -> RawHTTPClient { try RawHTTPClient(path: socketPath) }

    /// Sends one request on a new connection and reads the response.
    public func exchange(_ request: String, isHead: Bool = false) async throws
        -> (head: RawHTTPClient.Head, body: [UInt8]) {
        let path = socketPath
        return try await offPool {
            let client = try RawHTTPClient(path: path)
            try client.send(request)
            let response = try client.readResponse(isHead: isHead)
            return (response.head, response.body)
        }
    }

    /// Shuts the server down and removes its directory.
    public func stop() async throws {
        try await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
