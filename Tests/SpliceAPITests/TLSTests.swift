import Foundation
import TestSupport
import Testing
@testable import SpliceAPI
import APITestSupport

/// The TCP listener with TLS (`--tls`, `--tlsverify`): certificates from the openssl CLI, an in-process server on
/// 127.0.0.1:0, and curl and the docker CLI as clients.
@Suite("TLS on the TCP listener",
       .enabled(if: TLSFixture.openssl != nil && TLSFixture.curl != nil,
                "needs the openssl and curl CLIs (scripts/setup.sh installs them)"))
struct TLSTests {
    /// Starts a FakeEngine server with a unix socket and a TLS listener on 127.0.0.1:0.
    static func withTLSServer(verify: Bool, _ body: (TestServer, TLSFixture, Int) async throws -> Void)
        async throws
    {
        let fixture = try await offPool { try TLSFixture.make() }
        defer { fixture.remove() }
        let directory = fixture.directory
        let tls = APIServerTLS(certificatePath: fixture.serverCert, keyPath: fixture.serverKey,
                               caPath: verify ? fixture.ca : nil, verifyClients: verify)
        let configuration = APIServerConfiguration(socketPaths: [directory + "/api.sock"],
                                                   tcpAddresses: ["127.0.0.1:0"], tls: tls)
        let engine = FakeEngine()
        let server = try await APIServer.start(engine: engine, configuration: configuration)
        let test = TestServer(server: server, engine: engine, directory: directory + "/server")
        do {
            try await body(test, fixture, try #require(server.tcpPort))
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    /// `curl` with `arguments`; returns exit status and body.
    static func curl(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await offPool {
            try TLSFixture.run(TLSFixture.curl ?? "curl", ["-sS", "--max-time", "10"] + arguments)
        }
    }

    @Test("--tlsverify: the CA's client gets /_ping; no cert, another CA's cert, or plain HTTP fail")
    func mutualTLS() async throws {
        try await Self.withTLSServer(verify: true) { _, tls, port in
            let url = "https://127.0.0.1:\(port)/_ping"
            let good = try await Self.curl(["--cacert", tls.ca, "--cert", tls.clientCert, "--key", tls.clientKey, url])
            #expect(good.status == 0, "stderr: \(good.stderr)")
            #expect(good.stdout == "OK")
            let noCert = try await Self.curl(["--cacert", tls.ca, url])
            #expect(noCert.status != 0, "a client without a certificate must be refused")
            #expect(noCert.stdout.isEmpty)
            let rogue = try await Self.curl(["--cacert", tls.ca, "--cert", tls.rogueCert, "--key", tls.rogueKey, url])
            #expect(rogue.status != 0, "a certificate from another CA must be refused")
            #expect(rogue.stdout.isEmpty)
            let plain = try await Self.curl(["http://127.0.0.1:\(port)/_ping"])
            #expect(plain.status != 0, "plain HTTP on the TLS port must fail")
            #expect(plain.stdout != "OK")
        }
    }

    @Test("--tls without --tlsverify serves any client over TLS; the unix socket stays plain HTTP")
    func serverOnlyTLS() async throws {
        try await Self.withTLSServer(verify: false) { server, tls, port in
            let ping = try await Self.curl(["--cacert", tls.ca, "https://127.0.0.1:\(port)/_ping"])
            #expect(ping.status == 0, "stderr: \(ping.stderr)")
            #expect(ping.stdout == "OK")
            let unix = try await Self.curl(["--unix-socket", server.server.configuration.socketPath,
                                            "http://localhost/_ping"])
            #expect(unix.stdout == "OK", "stderr: \(unix.stderr)")
        }
    }

    @Test("the docker CLI with --tlsverify: version, and exec's hijacked stream over TLS",
          .enabled(if: dockerCLIPath != nil, "the docker CLI is not installed"))
    func dockerCLI() async throws {
        try await Self.withTLSServer(verify: true) { _, tls, port in
            let config = tls.directory + "/docker-config"
            try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
            let flags = ["--tlsverify", "--tlscacert", tls.ca, "--tlscert", tls.clientCert, "--tlskey", tls.clientKey,
                         "-H", "tcp://127.0.0.1:\(port)"]
            let environment = ["DOCKER_CONFIG": config, "PATH": "/usr/bin:/bin"]
            let docker = dockerCLIPath ?? "docker"
            let version = try await offPool {
                try TLSFixture.run(docker, flags + ["version", "--format", "{{.Server.APIVersion}}"],
                                   environment: environment)
            }
            #expect(version.status == 0, "stderr: \(version.stderr)")
            #expect(version.stdout == "1.41\n")
            let exec = try await offPool {
                try TLSFixture.run(docker, flags + ["exec", "cap_main", "sh", "-c", "exit 5"], environment: environment)
            }
            #expect(exec.status == 5, "stderr: \(exec.stderr)")
            #expect(exec.stdout == "hello world\nstdin:")
            #expect(exec.stderr == "oops\n")
            let refused = try await offPool {
                try TLSFixture.run(docker, ["--tls", "-H", "tcp://127.0.0.1:\(port)", "version", "--format",
                                            "{{.Server.APIVersion}}"], environment: environment)
            }
            #expect(refused.status != 0, "docker --tls without a client certificate must be refused")
            #expect(!refused.stdout.contains("1.41"))
        }
    }

    @Test("missing, non-PEM and mismatched TLS files fail with their names before anything listens")
    func badFiles() async throws {
        let tls = try await offPool { try TLSFixture.make() }
        defer { tls.remove() }
        let missing = APIServerTLS(certificatePath: tls.directory + "/nope.pem", keyPath: tls.serverKey)
        #expect(throws: APIServerError.tls(what: "certificate", path: tls.directory + "/nope.pem",
                                           reason: "No such file or directory")) { try missing.validate() }
        let noCA = APIServerTLS(certificatePath: tls.serverCert, keyPath: tls.serverKey,
                                caPath: tls.directory + "/ca-missing.pem", verifyClients: true)
        #expect(throws: APIServerError.tls(what: "CA certificate", path: tls.directory + "/ca-missing.pem",
                                           reason: "No such file or directory")) { try noCA.validate() }
        let notPEM = APIServerTLS(certificatePath: tls.directory + "/server.ext", keyPath: tls.serverKey)
        #expect(throws: APIServerError.self) { try notPEM.validate() }
        let mismatched = APIServerTLS(certificatePath: tls.serverCert, keyPath: tls.strayKey)
        do {
            try mismatched.validate()
            Issue.record("a key that does not match the certificate was accepted")
        } catch {
            #expect(error.description.contains("the key must match the certificate"), "\(error)")
        }
        let path = tls.directory + "/refused.sock"
        var configuration = APIServerConfiguration(socketPaths: [path], tcpAddresses: ["127.0.0.1:0"], tls: mismatched)
        configuration.serverVersion = "test"
        await #expect(throws: APIServerError.self) {
            _ = try await APIServer.start(engine: FakeEngine(), configuration: configuration)
        }
        #expect(!FileManager.default.fileExists(atPath: path), "nothing listened")
    }
}
