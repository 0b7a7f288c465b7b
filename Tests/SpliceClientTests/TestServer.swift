import Foundation
@testable import SpliceAPI

/// An in-process server on a fresh temporary unix socket with a `FakeEngine` behind it.
struct TestServer {
    let server: APIServer
    let engine: FakeEngine
    let directory: String
    var socketPath: String { server.configuration.socketPath }

    static func start(engine: FakeEngine = FakeEngine()) async throws -> TestServer {
        let directory = NSTemporaryDirectory() + "splice-api-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let configuration = APIServerConfiguration(socketPath: directory + "/api.sock")
        let server = try await APIServer.start(engine: engine, configuration: configuration)
        return TestServer(server: server, engine: engine, directory: directory)
    }



    func stop() async throws {
        try await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

