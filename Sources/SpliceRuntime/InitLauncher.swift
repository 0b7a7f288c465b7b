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
                if server == nil { server = Self.spawn(initPath, serving: servedDirectory) }
                guard let running = server else { return false }
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
        server.withLock { server in
            if server == nil { server = Self.spawn(initPath, serving: servedDirectory) }
        }
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

    /// `posix_spawn`s `splice-init serve DIRECTORY` with its end of a new socket pair as descriptor 3, standard input,
    /// output and error on /dev/null, and an empty environment; nil when it cannot.
    private static func spawn(_ initPath: String, serving directory: String) -> (pid: pid_t, socket: FileDescriptor)? {
        var pair: [Int32] = [-1, -1]
        let type = Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &pair) == 0 else { return nil }
        let engineEnd = FileDescriptor(owning: pair[0])
        defer { close(pair[1]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO)
        posix_spawn_file_actions_adddup2(&actions, pair[1], InitServer.socketDescriptor)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(initPath), strdup("serve"), strdup(directory), nil]
        defer { for pointer in argv { free(pointer) } }
        let envp: [UnsafeMutablePointer<CChar>?] = [nil]
        var pid: pid_t = 0
        guard posix_spawn(&pid, initPath, &actions, nil, argv, envp) == 0 else { return nil }
        return (pid, engineEnd)
    }
}
