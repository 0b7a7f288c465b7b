import Foundation
import Testing
@testable import SpliceAPI
import APITestSupport

/// Where the docker CLI is, if installed.
let dockerCLIPath: String? = ["/usr/bin/docker", "/usr/local/bin/docker"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// The stock docker CLI against the fake engine. Never starts dockerd.
@Suite("docker CLI against the server",
       .enabled(if: dockerCLIPath != nil, "the docker CLI is not installed (apt-get install docker.io)"))
struct DockerCLITests {
    static var dockerPath: String? { dockerCLIPath }

    static func docker(_ arguments: [String], socket: String, config: String) async throws -> (Int32, String, String) {
        let executable = dockerPath ?? "docker"
        return try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = ["DOCKER_HOST": "unix://\(socket)", "DOCKER_CONFIG": config, "PATH": "/usr/bin:/bin"]
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: stdout, as: UTF8.self),
                    String(decoding: stderr, as: UTF8.self))
        }
    }

    @Test("docker version, docker ps and a 404 through the real CLI")
    func cli() async throws {
        try await ServerTests.withServer { server in
            let config = server.directory + "/docker-config"
            try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
            let version = try await Self.docker(["version", "--format", "{{.Server.APIVersion}}"],
                                                socket: server.socketPath, config: config)
            #expect(version.0 == 0, "stderr: \(version.2)")
            #expect(version.1 == "1.41\n")
            let ps = try await Self.docker(["ps"], socket: server.socketPath, config: config)
            #expect(ps.0 == 0, "stderr: \(ps.2)")
            let lines = ps.1.split(separator: "\n")
            #expect(lines.first?.hasPrefix("CONTAINER ID") == true)
            #expect(lines.count == 2)
            #expect(lines.last?.hasPrefix("b3672ed92e9f   bb:latest") == true)
            #expect(lines.last?.hasSuffix("cap_main") == true)
            #expect(lines.last?.contains("127.0.0.1:18080->8080/tcp") == true)
            let missing = try await Self.docker(["rm", "nosuch_cap"], socket: server.socketPath, config: config)
            #expect(missing.0 == 0)  // The fake engine removes anything but "running".
            let running = try await Self.docker(["rm", "running"], socket: server.socketPath, config: config)
            #expect(running.0 == 1)
            #expect(running.2.contains("Error response from daemon: You cannot remove a running container"))
            #expect(server.engine.calls.contains("containers(all: false, limit: -, filters: [:])"))
        }
    }

    @Test("docker logs demultiplexes stdcopy frames; docker exec hijacks and exits with ExitCode")
    func streams() async throws {
        try await ServerTests.withServer { server in
            let config = server.directory + "/docker-config"
            try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
            let logs = try await Self.docker(["logs", "cap_main"], socket: server.socketPath, config: config)
            #expect(logs.0 == 0, "stderr: \(logs.2)")
            #expect(logs.1 == "first-line\n")
            #expect(logs.2 == "to-stderr\n")
            let exec = try await Self.docker(["exec", "cap_main", "sh", "-c", "exit 5"], socket: server.socketPath,
                                             config: config)
            #expect(exec.0 == 5)
            #expect(exec.1 == "hello world\nstdin:")
            #expect(exec.2 == "oops\n")
            let events = try await Self.docker(["events", "--since", "1795972928", "--until", "1795972930",
                                                "--format", "{{.Status}} {{.Actor.Attributes.name}}"],
                                               socket: server.socketPath, config: config)
            #expect(events.0 == 0, "stderr: \(events.2)")
            #expect(events.1 == "create cap_ev\nstart cap_ev\n")
        }
    }
}
