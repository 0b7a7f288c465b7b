import CLinuxShims
import Glibc
import Synchronization
import SystemKit

/// The engine's side of `splice-init serve` (`InitServer`): started with the engine (`prepare`), asked for each
/// container start, restarted when it has died, stopped with the engine (`stop`, or when the launcher goes).
/// `ContainerRuntime.start` spawns `splice-init` itself when no server can be reached.
public final class InitLauncher: Sendable {
    private let initPath: String
    /// Named on the server's command line, so `ps` shows (and leak checks find) which engine it serves.
    private let servedDirectory: String
    /// The server's pid and the engine's end of its socket pair, while one runs.
    private let server = Mutex<(pid: pid_t, socket: FileDescriptor)?>(nil)

    /// A launcher of `initPath` for the engine whose containers live under `servedDirectory`.
    public init(initPath: String, servedDirectory: String) {
        self.initPath = initPath
        self.servedDirectory = servedDirectory
    }

    /// Asks the server to start the monitor of `stateDirectory` with these descriptors as its output and report;
    /// false when no server could be started or reached (the caller spawns `splice-init` instead).
    func launch(stateDirectory: String, initLog: Int32, report: Int32) -> Bool {
        let message = Array(stateDirectory.utf8)
        guard message.count < InitServer.messageCapacity else { return false }
        return server.withLock { server in
            for _ in 0..<2 {
                guard let running = start(&server) else { return false }
                let fds = [initLog, report]
                let sent = message.withUnsafeBytes { raw in
                    cls_send_with_descriptors(running.socket.rawValue, raw.baseAddress, raw.count, fds, 2)
                }
                if sent == 0 { return true }
                Self.stop(&server)  // it died (EPIPE, ECONNREFUSED): a new one gets the second try
            }
            return false
        }
    }

    deinit {
        stop()
    }

    /// Starts the server now rather than at the first container start (the engine does at its own start, so the
    /// server is there for as long as the daemon is, and the first start is as quick as the next).
    public func prepare() {
        server.withLock { _ = start(&$0) }
    }

    /// The running server, spawned first when none runs; nil when it cannot be.
    private func start(_ server: inout (pid: pid_t, socket: FileDescriptor)?) -> (pid: pid_t, socket: FileDescriptor)? {
        if server == nil { server = Self.spawn(initPath, serving: servedDirectory) }
        return server
    }

    /// The running server's pid, if one runs.
    public var serverPID: pid_t? {
        server.withLock { $0?.pid }
    }

    /// Stops the server and reaps it (SIGKILL: it holds nothing but its socket, which closes here).
    public func stop() {
        server.withLock { Self.stop(&$0) }
    }

    private static func stop(_ server: inout (pid: pid_t, socket: FileDescriptor)?) {
        guard let running = server else { return }
        server = nil
        kill(running.pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(running.pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// `splice-init serve DIRECTORY` with its end of a new socket pair as descriptor 3 (`ContainerRuntime.spawn`,
    /// output to /dev/null); nil when it cannot be spawned.
    private static func spawn(_ initPath: String, serving directory: String) -> (pid: pid_t, socket: FileDescriptor)? {
        var pair: [Int32] = [-1, -1]
        let type = Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &pair) == 0 else { return nil }
        let engineEnd = FileDescriptor(owning: pair[0])
        defer { close(pair[1]) }
        guard let pid = try? ContainerRuntime.spawn(initPath, arguments: ["serve", directory], initLog: "/dev/null",
                                                    report: pair[1]) else { return nil }
        return (pid, engineEnd)
    }
}
