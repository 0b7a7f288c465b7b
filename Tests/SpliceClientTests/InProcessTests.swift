import Foundation
import Testing
@testable import SpliceClient
import APITestSupport

@Suite("splice commands against the real API server and a fake engine")
struct InProcessTests {
    @Test func psTable() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        // The fake stamps Created 58 s before the harness's clock.
        let result = try await server.splice(["ps", "-a", "-f", "status=running"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "CONTAINER ID   IMAGE       COMMAND                  CREATED          STATUS          PORTS                       NAMES")
        #expect(lines.last?.contains("   58 seconds ago   ") == true)
        #expect(lines.last?.hasPrefix("b3672ed92e9f   bb:latest   \"sh -c 'echo first-l…\"") == true)
        #expect(lines.last?.hasSuffix("Up 58 seconds   127.0.0.1:18080->8080/tcp   cap_main") == true)
        #expect(server.engine.calls.contains { $0.hasPrefix("containers(all: true") && $0.contains("running") })
        let quiet = try await server.splice(["ps", "-q", "--no-trunc"])
        #expect(quiet.stdout == FakeEngine.mainID + "\n")
    }

    @Test("ps and images --format: docker's fields, table headers and json lines")
    func listFormats() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let names = try await server.splice(["ps", "--format", "{{.ID}} {{.Names}} {{.State}} {{.Ports}}"])
        #expect(names.status == 0)
        #expect(names.stdout == "b3672ed92e9f cap_main running 127.0.0.1:18080->8080/tcp\n")
        let table = try await server.splice(["ps", "--format", "table {{.Names}}\t{{.RunningFor}}"])
        #expect(table.stdout == "NAMES      CREATED\ncap_main   58 seconds ago\n")
        let json = try await server.splice(["ps", "--format", "json"])
        #expect(json.stdout.hasPrefix("{\"ID\":\"b3672ed92e9f\",\"Image\":\"bb:latest\""))
        let created = try await server.splice(["ps", "--format", "{{.CreatedAt}}"])
        #expect(created.stdout.hasSuffix(" +0000 UTC\n"))
        let images = try await server.splice(["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}"])
        #expect(images.stdout == "bb:latest cd100aa9d777 1.98MB\n")
    }

    @Test func imagesTable() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let result = try await server.splice(["images"])
        #expect(result.stdout == """
            REPOSITORY   TAG       IMAGE ID       CREATED         SIZE
            bb           latest    cd100aa9d777   2 minutes ago   1.98MB

            """)
        let quiet = try await server.splice(["images", "-q"])
        #expect(quiet.stdout == "cd100aa9d777\n")
    }

    @Test func inspectAndFormat() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let pid = try await server.splice(["inspect", "--format", "{{ .State.Pid }}", "cap_main"])
        #expect(pid.stdout == "8185\n")
        #expect(pid.status == 0)
        let full = try await server.splice(["inspect", "cap_main"])
        // Key order is whatever the server sent (the API encodes sorted keys); indentation is docker's.
        #expect(full.stdout.hasPrefix("[\n    {\n        \""))
        #expect(full.stdout.contains("\n        \"Id\": \"\(FakeEngine.mainID)\",\n"))
        #expect(full.stdout.contains("\n            \"Pid\": 8185,\n"))
        #expect(full.stdout.hasSuffix("\n    }\n]\n"))
        let missing = try await server.splice(["inspect", "nosuchcontainer"])
        #expect(missing.stdout == "[]\n")
        #expect(missing.stderr == "Error: No such object: nosuchcontainer\n")
        #expect(missing.status == 1)
    }

    @Test func logsDemultiplexes() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let result = try await server.splice(["logs", "--tail", "2", "cap_main"])
        #expect(result.status == 0)
        #expect(result.stdout == "first-line\n")
        #expect(result.stderr == "to-stderr\n")
        #expect(server.engine.calls.contains("logs(\(FakeEngine.mainID), follow: false, tail: 2)"))
    }

    @Test func rmPrintsNamesAndErrors() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let ok = try await server.splice(["rm", "-f", "-v", "cap_d"])
        #expect(ok.stdout == "cap_d\n")
        #expect(ok.status == 0)
        #expect(server.engine.calls.contains("remove(cap_d, force: true, v: true, link: false)"))
        let running = try await server.splice(["rm", "running"])
        #expect(running.status == 1)
        #expect(running.stderr.hasPrefix("Error response from daemon: You cannot remove a running container"))
    }

    @Test func runForegroundAndDetached() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let result = try await server.splice(["run", "--name", "cap_fg", "bb:latest", "echo", "hello", "world"])
        #expect(result.stdout.hasPrefix("hello world\n"))
        #expect(result.stderr == "oops\n")
        #expect(result.status == 3)
        let detached = try await server.splice(["run", "-d", "bb:latest", "sleep", "300"])
        #expect(detached.stdout == FakeEngine.mainID + "\n")
        #expect(detached.status == 0)
        let conflict = try await server.splice(["run", "--name", "cap_main", "bb:latest"])
        #expect(conflict.status == 125)
        #expect(conflict.stderr.hasPrefix("splice: Error response from daemon: Conflict."))
    }

    @Test func killErrorAndWait() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let kill = try await server.splice(["kill", "-s", "SIGUSR1", "cap_main"])
        #expect(kill.status == 1)
        #expect(kill.stderr.hasPrefix("Error response from daemon: Cannot kill container"))
        let wait = try await server.splice(["wait", "cap_main"])
        #expect(wait.stdout == "3\n")
        let top = try await server.splice(["top", "cap_main"])
        #expect(top.stdout == "PID                 COMMAND\n8185                sh\n")
    }
}
