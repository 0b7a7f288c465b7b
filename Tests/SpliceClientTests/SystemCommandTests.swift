import Foundation
import Testing
@testable import SpliceClient
import APITestSupport

@Suite("splice version and info in-process")
struct SystemCommandTests {
    @Test func negotiatesVersionAndPrintsIt() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let endpoint = Endpoint.unix(path: server.socketPath)
        let negotiated = try await offPool { try DockerClient(endpoint: endpoint).apiVersion() }
        #expect(negotiated == "1.41")
        let result = try await server.splice(["version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\nServer: Splice\n Engine:\n  Version:          0.1.0-test\n"))
        #expect(result.stdout.contains("  API version:      1.41 (minimum version 1.24)\n"))
        #expect(result.stdout.contains("  Built:            Sun Nov 29 17:18:08 2026\n"))
    }

    @Test func infoFields() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let result = try await server.splice(["info"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\nServer:\n Containers: 1\n  Running: 1\n"))
        #expect(result.stdout.contains("\n Name: vm\n ID: TEST:ID\n"))
        #expect(result.stdout.contains("\n Storage Driver: "))
        #expect(result.stdout.contains("\n Kernel Version: "))
        let formatted = try await server.splice(["info", "-f", "{{.Name}}/{{.Containers}}"])
        #expect(formatted.stdout == "vm/1\n")
    }
}
