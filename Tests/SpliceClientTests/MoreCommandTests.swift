import Foundation
import Testing
@testable import SpliceClient

@Suite("More splice commands in-process")
struct MoreCommandTests {
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

    @Test func tagRmiStopStart() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let tag = try await server.splice(["tag", "bb:latest", "127.0.0.1:5000/bb"])
        #expect(tag.status == 0 && tag.stdout.isEmpty)
        #expect(server.engine.calls.contains("tag(bb:latest, repo: 127.0.0.1:5000/bb, tag: latest)"))
        let rmi = try await server.splice(["rmi", "cap-tagged:t1"])
        #expect(rmi.stdout == "Untagged: cap-tagged:t1\n")
        let stop = try await server.splice(["stop", "-t", "2", "cap_main"])
        #expect(stop.stdout == "cap_main\n")
        #expect(server.engine.calls.contains("stop(cap_main, t: 2)"))
        let start = try await server.splice(["start", "cap_main"])
        #expect(start.stdout == "cap_main\n" && start.status == 0)
        let missing = try await server.splice(["start", "nosuch_cap"])
        #expect(missing.stderr == "Error response from daemon: No such container: nosuch_cap\n")
        #expect(missing.status == 1)
    }

    @Test func importStreamsTheFile() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let file = server.directory + "/rootfs.tar"
        try Data(repeating: 7, count: 200_000).write(to: URL(fileURLWithPath: file))
        let result = try await server.splice(["import", "-c", "CMD [\"/bin/sh\"]", "-m", "imported msg", file, "cap-imported:v1"])
        #expect(result.status == 0)
        #expect(result.stdout == "sha256:89f60340e905dc5aa3322f1c0a3bdc04aef90e8e907cb52aa030ef01daa52a2b\n")
        #expect(server.engine.calls.contains { $0.hasPrefix("import(repo: cap-imported:v1, bytes: 200000") })
        let missing = try await server.splice(["import", server.directory + "/nope.tar"])
        #expect(missing.status == 1)
    }

    @Test func runPullsAMissingImage() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let result = try await server.splice(["run", "-d", "pullme:v1", "true"])
        #expect(result.stderr.hasPrefix("Unable to find image 'pullme:v1' locally\nv1: Pulling from bb\n"))
        #expect(result.stdout == FakeEngine.mainID + "\n")
        #expect(result.status == 0)
        let missingTag = try await server.splice(["run", "pullme:nope"])
        #expect(missingTag.status == 125)
        #expect(missingTag.stderr.contains("splice: Error response from daemon: manifest for pullme:nope not found"))
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
