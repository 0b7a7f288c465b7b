import Foundation
import Glibc

/// A real etcd (Debian's etcd-server) for one test: its own data directory and free ports, on 127.0.0.1 or,
/// inside a named network namespace, on a given address; stopped by its PID and its directory removed.
public final class EtcdServer: @unchecked Sendable {
    // Invariant: `pid` is changed only by start/stop, called from the owning test.
    /// The etcd binary, if installed.
    public static let binary: String? = ["/usr/bin/etcd", "/usr/local/bin/etcd"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    /// Why etcd tests skip when it is missing.
    public static let missingReason = "needs etcd (Debian's etcd-server; scripts/setup.sh installs it)"

    public let directory: String
    public let host: String
    public let clientPort: UInt16
    public let peerPort: UInt16
    public let namespace: String?
    public private(set) var pid: pid_t = 0

    /// `HOST:PORT` of the client endpoint.
    public var member: String { "\(host):\(clientPort)" }

    /// Starts etcd listening on `host` (default 127.0.0.1, on free ports), inside `namespace` when given.
    public init(tag: String, host: String = "127.0.0.1", namespace: String? = nil, clientPort: UInt16? = nil)
        throws
    {
        self.host = host
        self.namespace = namespace
        self.clientPort = try clientPort ?? Self.freePort()
        peerPort = try Self.freePort()
        directory = NSTemporaryDirectory() + "splice-etcd-\(getpid())-\(tag)"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try start()
    }

    /// Starts (or restarts, keeping its data) the server and waits until it answers.
    public func start() throws {
        guard let binary = Self.binary else { throw CommandFailure(command: "etcd", status: -1, stderr: "no etcd") }
        let client = "http://\(host):\(clientPort)"
        let peer = "http://127.0.0.1:\(peerPort)"
        var arguments = [binary, "--name", "splice-test", "--data-dir", directory + "/data",
                         "--listen-client-urls", client, "--advertise-client-urls", client,
                         "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                         "--initial-cluster", "splice-test=\(peer)", "--log-outputs", "stderr", "--logger", "zap"]
        let process = Process()
        if let namespace {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
            arguments = ["--net=/run/netns/\(namespace)"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            arguments.removeFirst()
        }
        process.arguments = arguments
        let logPath = directory + "/etcd.log"
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = FileHandle(forWritingAtPath: logPath)
        log?.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        pid = process.processIdentifier
        for _ in 0..<200 {
            let probe = namespace.map { ["/usr/bin/nsenter", "--net=/run/netns/\($0)"] } ?? []
            let health = try runStatus("/usr/bin/env", probe + ["/usr/bin/curl", "-s", "-m", "1", client + "/health"])
            if health.status == 0, health.stdout.contains("true") { return }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        throw CommandFailure(command: "etcd", status: -1, stderr: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }

    /// Stops the server by its PID (SIGTERM, then SIGKILL) and reaps it; the data directory stays.
    public func stop() {
        guard pid > 0 else { return }
        ChildProcess.stop(pid)
        pid = 0
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    public static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure(command: "socket", status: errno, stderr: "") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                Glibc.bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw CommandFailure(command: "bind", status: errno, stderr: "") }
        return UInt16(bigEndian: address.sin_port)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
