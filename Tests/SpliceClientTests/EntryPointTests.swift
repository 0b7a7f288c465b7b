import Foundation
import Testing
@testable import SpliceClient
import APITestSupport

@Suite("SpliceCLI.main: endpoint selection, help, query mapping")
struct EntryPointTests {
    func main(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
        try await offPool {
            let captured = CapturedConsole()
            let status = SpliceCLI.main(arguments, console: captured.console, environment: environment, now: { 0 })
            return CommandResult(status: status, stdout: captured.stdout, stderr: captured.stderr)
        }
    }

    @Test func hostFlagAndEnvironment() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let viaFlag = try await main(["-H", "unix://" + server.socketPath, "wait", "cap_main"])
        #expect(viaFlag.stdout == "3\n")
        let viaEnv = try await main(["wait", "cap_main"], environment: ["SPLICE_HOST": "unix://" + server.socketPath])
        #expect(viaEnv.stdout == "3\n")
        let unreachable = try await main(["-H", "unix:///nonexistent/splice.sock", "ps"])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.hasPrefix("Cannot connect to the Splice daemon at unix:///nonexistent/splice.sock."))
        let badHost = try await main(["-H", "tcp://nohost", "ps"])
        #expect(badHost.status == 125)
    }

    @Test("-D prints each request with its status and time on stderr; the first request needs no ping")
    func debugTracesRequests() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let traced = try await main(["-D", "-H", "unix://" + server.socketPath, "wait", "cap_main"])
        #expect(traced.status == 0)
        #expect(traced.stdout == "3\n")
        let lines = traced.stderr.split(separator: "\n")
        // One request: the first goes out with the client's own version, which the daemon takes (no ping).
        #expect(lines.count == 1, "\(traced.stderr)")
        let line = try #require(lines.first, "\(traced.stderr)")
        #expect(line.hasPrefix("DEBU[splice] POST /v1.41/containers/cap_main/wait"), "\(line)")
        #expect(line.contains(" 200 in ") && line.hasSuffix("ms"), "\(line)")
        let plain = try await main(["-H", "unix://" + server.socketPath, "wait", "cap_main"])
        #expect(plain.stderr.isEmpty)
    }

    @Test func helpAndUnknownCommands() async throws {
        let help = try await main(["ps", "--help"])
        #expect(help.status == 0 && help.stdout.hasPrefix("Usage:  splice ps"))
        let passedThrough = try await main(["-H", "unix:///nonexistent/x.sock", "run", "bb", "sh", "--help"])
        #expect(passedThrough.status == 125)
        #expect(!passedThrough.stdout.hasPrefix("Usage"))
        let unknown = try await main(["frobnicate"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("splice: unknown command: splice frobnicate"))
    }

    @Test func psAndLogsQueries() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        _ = try await server.splice(["ps", "-l"])
        _ = try await server.splice(["ps", "-n", "3"])
        _ = try await server.splice(["ps"])
        let calls = server.engine.calls.filter { $0.hasPrefix("containers(") }
        #expect(calls.count == 3)
        #expect(calls[0].hasPrefix("containers(all: true, limit: 1"))
        #expect(calls[1].hasPrefix("containers(all: true, limit: 3"))
        #expect(calls[2].hasPrefix("containers(all: false, limit: -"))
        let logs = try await server.splice(["logs", "-f", "-t", "--since", "10m", "cap_main"])
        #expect(logs.status == 0)
        #expect(server.engine.calls.contains("logs(\(FakeEngine.mainID), follow: true, tail: all)"))
    }
}
