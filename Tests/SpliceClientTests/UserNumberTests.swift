import DockerModels
import Foundation
import Testing
@testable import SpliceClient

/// Numbers and specs a user types into `splice`: checked, ranged, and every `-p` form docker's CLI takes.
@Suite("user-supplied numbers and port specs in the client")
struct UserNumberTests {
    func request(_ arguments: [String]) throws -> ContainerCreateRequest {
        let scanner = ArgumentScanner(command: "run", flags: SpliceCLI.runFlags, interspersed: false)
        return try SpliceCLI.createRequest(try scanner.scan(arguments), .init(detach: true)).0
    }

    @Test func hugeMemoryIsAnErrorNotACrash() {
        #expect(throws: DockerOpts.Failure("invalid size: '9999999999g': value out of range")) {
            try DockerOpts.ramInBytes("9999999999g")
        }
        #expect(throws: DockerOpts.Failure.self) { try DockerOpts.ramInBytes("99999999999999999999") }
        #expect(throws: ClientError.self) { try request(["-m", "9999999999g", "bb"]) }
    }

    @Test func durationsAndDatesThatOverflowAreErrors() {
        #expect(throws: ClientError.self) { try Timestamp.unix("9999999999999999999h", now: 1_700_000_000) }
        #expect(throws: ClientError.self) { try Timestamp.unix("2562047788015216h", now: 1_700_000_000) }
        #expect(throws: ClientError.self) {
            try Timestamp.unix("99999999999999-01-01T00:00:00Z", now: 1_700_000_000)
        }
        #expect(throws: ClientError.self) { try Timestamp.unix("2026-13-01T00:00:00Z", now: 1_700_000_000) }
        #expect((try? Timestamp.unix("1h", now: 1_700_000_000)) == "1699996400")
        // The largest duration that fits, far before the epoch, is still a time.
        #expect((try? Timestamp.unix("2562047788015215h", now: 0)) == "-9223372036854774000")
        #expect((try? Timestamp.unix("99999999999", now: 1_700_000_000)) == "99999999999")
    }

    @Test func publishRangesAndAddresses() throws {
        let range = try DockerOpts.portMappings("8000-8002:9000-9002")
        #expect(range.map(\.key) == ["9000/tcp", "9001/tcp", "9002/tcp"])
        #expect(range.map(\.hostPort) == ["8000", "8001", "8002"])
        let pool = try DockerOpts.portMappings("127.0.0.1:8000-8100:80/udp")
        #expect(pool == [.init(key: "80/udp", hostIP: "127.0.0.1", hostPort: "8000-8100")])
        #expect(try DockerOpts.portMappings("127.0.0.1::80") == [.init(key: "80/tcp", hostIP: "127.0.0.1",
                                                                        hostPort: "")])
        #expect(try DockerOpts.portMappings("[::1]:8080:80") == [.init(key: "80/tcp", hostIP: "::1",
                                                                        hostPort: "8080")])
        #expect(try DockerOpts.portMappings("::1:8080:80") == [.init(key: "80/tcp", hostIP: "::1",
                                                                      hostPort: "8080")])
        #expect(try DockerOpts.portMappings("[::1]::80/tcp") == [.init(key: "80/tcp", hostIP: "::1", hostPort: "")])
        #expect(try DockerOpts.portMappings("7000-7001") == [.init(key: "7000/tcp", hostIP: "", hostPort: ""),
                                                               .init(key: "7001/tcp", hostIP: "", hostPort: "")])
        let body = try request(["-p", "8000-8100:8000-8100", "bb"])
        #expect(body.hostConfig?.PortBindings?.count == 101)
        #expect(body.hostConfig?.PortBindings?["8050/tcp"]?.first?.HostPort == "8050")
        #expect(body.config.ExposedPorts?.count == 101)
    }

    @Test func cpusAndTheOldCpusetSpelling() throws {
        let body = try request(["--cpus", "1.5", "--cpuset", "0", "bb"])
        #expect(body.hostConfig?.NanoCpus == 1_500_000_000)
        #expect(body.hostConfig?.CpusetCpus == "0")
        #expect(try DockerOpts.nanoCPUs("0.01") == 10_000_000)
        #expect(throws: DockerOpts.Failure("failed to parse x as a rational number")) { try DockerOpts.nanoCPUs("x") }
        #expect(throws: DockerOpts.Failure("value is too precise")) { try DockerOpts.nanoCPUs("0.0000000001") }
        #expect(throws: DockerOpts.Failure("value is too large")) { try DockerOpts.nanoCPUs("99999999999") }
    }

    @Test(arguments: [
        ("70000:80", "invalid hostPort: 70000"),
        ("80-70", "invalid containerPort: 80-70"),
        ("1.2.3:80:80", "invalid IP address: 1.2.3"),
        ("8000-8001:90-92", "invalid ranges specified for container and host Ports: 90-92 and 8000-8001"),
        ("80/icmp", "invalid proto: icmp"),
        (":", "no port specified: :<empty>"),
    ])
    func publishErrors(spec: String, message: String) {
        #expect(throws: DockerOpts.Failure(message)) { try DockerOpts.portMappings(spec) }
    }
}
