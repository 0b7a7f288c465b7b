import Foundation
import Testing
@testable import SpliceClient
import APITestSupport

@Suite("splice port, stop, start and inspect in-process")
struct ContainerCommandTests {
    @Test func portListing() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let all = try await server.splice(["port", "cap_main"])
        #expect(all.stdout == "8080/tcp -> 127.0.0.1:18080\n8081/udp -> 0.0.0.0:18081\n8081/udp -> [::]:18081\n")
        let one = try await server.splice(["port", "cap_main", "8080"])
        #expect(one.stdout == "127.0.0.1:18080\n")
        let none = try await server.splice(["port", "cap_main", "7/udp"])
        #expect(none.status == 1)
        #expect(none.stderr == "Error: No public port '7/udp' published for cap_main\n")
    }

    @Test func stopAndStart() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let stop = try await server.splice(["stop", "-t", "2", "cap_main"])
        #expect(stop.stdout == "cap_main\n")
        #expect(server.engine.calls.contains("stop(cap_main, t: 2)"))
        let start = try await server.splice(["start", "cap_main"])
        #expect(start.stdout == "cap_main\n" && start.status == 0)
        let missing = try await server.splice(["start", "nosuch_cap"])
        #expect(missing.stderr == "Error response from daemon: No such container: nosuch_cap\n")
        #expect(missing.status == 1)
    }

    @Test func inspectFormatsAndTypes() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let ip = try await server.splice(["inspect", "-f", "ip={{.NetworkSettings.IPAddress}} {{.Name}}", "cap_main"])
        #expect(ip.stdout == "ip=172.17.0.3 /cap_main\n")
        let image = try await server.splice(["inspect", "--type", "image", "cap_main"])
        #expect(image.stderr == "Error: No such image: cap_main\n")
        #expect(image.status == 1)
        let bad = try await server.splice(["inspect", "-f", "{{.State", "cap_main"])
        #expect(bad.status == 125)
    }
}
