import Foundation
import Glibc

/// Debian's `docker-registry` (the CNCF distribution registry) serving a scratch storage directory on 127.0.0.1,
/// plain or with TLS and htpasswd authentication, optionally inside a named network namespace (where a lab's
/// `spliced` runs). Stopped by its PID and its directory removed by `stop()` or at deinit.
public final class RegistryServer: @unchecked Sendable {
    // Mutated only by `stop()`, which tests call from the one thread that owns the server.
    /// The binary.
    public static let binary = "/usr/bin/docker-registry"
    /// Whether the registry is installed.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }
    /// Whether `htpasswd` (apache2-utils) is installed, for the authenticated registry.
    public static var hasHtpasswd: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/htpasswd") }

    /// The scratch directory (config, storage, htpasswd, log).
    public let directory: String
    /// The port on 127.0.0.1.
    public let port: Int
    /// The namespace it runs in, or nil for the caller's.
    public let namespace: String?
    /// Whether it serves TLS.
    public let usesTLS: Bool
    private var pid: pid_t = 0

    /// `127.0.0.1:PORT`.
    public var address: String { "127.0.0.1:\(port)" }

    /// Starts a registry; `credentials` turns on htpasswd authentication, `tls` serves the fixture's server pair,
    /// `accessLog` logs each request (`"PATCH /v2/…"`) to `log()`.
    public init(namespace: String? = nil, port requestedPort: Int? = nil,
                credentials: (user: String, password: String)? = nil, tls: TLSFixture? = nil,
                accessLog: Bool = false) throws {
        self.namespace = namespace
        usesTLS = tls != nil
        directory = NSTemporaryDirectory() + "splice-registry-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory + "/storage", withIntermediateDirectories: true)
        port = try requestedPort ?? RegistryServer.freePort()
        var config = """
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: \(!accessLog)
            storage:
              filesystem:
                rootdirectory: \(directory)/storage
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:\(port)
              secret: splice-test-secret

            """
        if let tls {
            config += "  tls:\n    certificate: \(tls.serverCert)\n    key: \(tls.serverKey)\n"
        }
        if let credentials {
            let entry = try run("/usr/bin/htpasswd", ["-Bbn", credentials.user, credentials.password])
            try entry.write(toFile: directory + "/htpasswd", atomically: true, encoding: .utf8)
            config += "auth:\n  htpasswd:\n    realm: basic-realm\n    path: \(directory)/htpasswd\n"
        }
        try config.write(toFile: directory + "/config.yml", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: namespace == nil ? Self.binary : "/usr/bin/nsenter")
        process.arguments = (namespace.map { ["--net=/run/netns/\($0)", Self.binary] } ?? [])
            + ["serve", directory + "/config.yml"]
        _ = FileManager.default.createFile(atPath: directory + "/registry.log", contents: nil)
        let log = FileHandle(forWritingAtPath: directory + "/registry.log")
        process.standardOutput = log
        process.standardError = log
        try process.run()
        pid = process.processIdentifier
        for _ in 0..<100 {
            let answer = try? curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", url("/v2/")])
            if let answer, !answer.stdout.hasPrefix("000") { return }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        let output = (try? String(contentsOfFile: directory + "/registry.log", encoding: .utf8)) ?? ""
        stop()
        throw CommandFailure(command: "docker-registry serve", status: -1, stderr: output)
    }

    /// What the registry wrote (its access log lines, with `accessLog`).
    public func log() -> String {
        (try? String(contentsOfFile: directory + "/registry.log", encoding: .utf8)) ?? ""
    }

    /// The registry URL of `path`.
    public func url(_ path: String) -> String { (usesTLS ? "https://" : "http://") + address + path }

    /// Runs curl where the registry runs (`-k` for TLS).
    public func curl(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let base = (usesTLS ? ["-k"] : []) + arguments
        return try runBeside("/usr/bin/curl", base)
    }

    /// Runs a command where the registry runs (in its namespace when it has one).
    public func runBeside(_ executable: String, _ arguments: [String]) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        if let namespace {
            return try runStatus("/usr/bin/nsenter", ["--net=/run/netns/\(namespace)", executable] + arguments)
        }
        return try runStatus(executable, arguments)
    }

    /// Stops the registry (SIGTERM, then SIGKILL) and removes its directory.
    public func stop() {
        if pid > 0 {
            ChildProcess.stop(pid, seconds: 2)
            pid = 0
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    /// A port on 127.0.0.1 that nothing listens on now (bound to port 0, read back, closed).
    /// A port on 127.0.0.1 nothing listens on (for a client that must find no registry).
    public static func unusedPort() throws -> Int { try freePort() }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure(command: "socket", status: errno, stderr: "") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw CommandFailure(command: "bind", status: errno, stderr: "") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
