import Foundation
import SystemKit
import Testing
@testable import SpliceAPI
import APITestSupport

@Suite("Unix socket file")
struct SocketTests {
    @Test("the socket gets mode 0660 and the requested group")
    func modeAndGroup() async throws {
        let directory = NSTemporaryDirectory() + "splice-sock-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let gid = getgid()
        let configuration = APIServerConfiguration(socketPath: directory + "/api.sock", socketGroup: .id(gid))
        let server = try await APIServer.start(engine: FakeEngine(), configuration: configuration)
        var info = stat()
        #expect(lstat(configuration.socketPath, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o660)
        #expect(info.st_gid == gid)
        try await server.shutdown()
        #expect(!FileManager.default.fileExists(atPath: configuration.socketPath))
    }

    @Test("an unknown group name is refused")
    func unknownGroup() async throws {
        let path = NSTemporaryDirectory() + "splice-sock-\(UUID().uuidString.prefix(8)).sock"
        defer { unlink(path) }
        let configuration = APIServerConfiguration(socketPath: path, socketGroup: .name("no-such-group-splice"))
        await #expect(throws: APIServerError.unknownGroup("no-such-group-splice")) {
            _ = try await APIServer.start(engine: FakeEngine(), configuration: configuration)
        }
    }

    @Test("a live server on the path is refused; a stale socket file is replaced")
    func staleAndLive() async throws {
        let server = try await TestServer.start()
        let path = server.socketPath
        await #expect(throws: APIServerError.socketPathInUse(path: path, reason: "another server is listening on it")) {
            _ = try await APIServer.start(engine: FakeEngine(), configuration: APIServerConfiguration(socketPath: path))
        }
        // Leave a stale socket file behind: bind without listening.
        try await server.server.shutdown()
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = try #require(sockaddr_un(path: path))
        let bound = withSocketAddress(&address) { bind(fd, $0, $1) }
        close(fd)
        #expect(bound == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        let second = try await APIServer.start(engine: FakeEngine(), configuration: APIServerConfiguration(socketPath: path))
        let (head, _) = try await offPool {
            let client = try RawHTTPClient(path: path)
            try client.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
            return try client.readResponse()
        }
        #expect(head.statusLine == "HTTP/1.1 200 OK")
        try await second.shutdown()
        try? FileManager.default.removeItem(atPath: server.directory)
    }

    @Test("a regular file at the socket path is not removed")
    func regularFile() async throws {
        let path = NSTemporaryDirectory() + "splice-sock-\(UUID().uuidString.prefix(8)).sock"
        _ = FileManager.default.createFile(atPath: path, contents: Data("keep".utf8))
        defer { unlink(path) }
        await #expect(throws: APIServerError.socketPathInUse(path: path, reason: "exists and is not a socket")) {
            _ = try await APIServer.start(engine: FakeEngine(), configuration: APIServerConfiguration(socketPath: path))
        }
        #expect(FileManager.default.contents(atPath: path) == Data("keep".utf8))
    }

    @Test("optional plain TCP listener serves the same API")
    func tcp() async throws {
        let directory = NSTemporaryDirectory() + "splice-tcp-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = APIServerConfiguration(socketPath: directory + "/api.sock", tcpAddress: "127.0.0.1:0")
        let server = try await APIServer.start(engine: FakeEngine(), configuration: configuration)
        let port = try #require(server.tcpPort)
        let (head, body) = try await offPool {
            let client = try RawHTTPClient(tcpPort: port)
            try client.send("GET /v1.41/version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return try client.readResponse()
        }
        #expect(head.statusLine == "HTTP/1.1 200 OK")
        #expect(try jsonObject(body)["ApiVersion"] as? String == "1.41")
        try await server.shutdown()
    }
}
