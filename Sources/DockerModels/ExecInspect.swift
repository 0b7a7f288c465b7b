/// `GET /exec/{id}/json` body (`exec.txt`).
public struct ExecInspect: Codable, Sendable, Equatable {
    /// `ProcessConfig` block (lower-case keys on the wire).
    public struct ProcessConfig: Codable, Sendable, Equatable {
        /// TTY.
        public var tty: Bool = false
        /// argv[0].
        public var entrypoint: String = ""
        /// argv[1...].
        public var arguments: [String] = []
        /// Privileged.
        public var privileged: Bool = false
        /// User, when set.
        public var user: String? = nil
        /// Creates an empty process config.
        public init() {}
    }

    /// Exec ID.
    public var ID: String = ""
    /// Still running.
    public var Running: Bool = false
    /// Exit code, `null` while running.
    public var ExitCode: Int? = nil
    /// Process config.
    public var ProcessConfig: ProcessConfig = ProcessConfig()
    /// Stdin attached.
    public var OpenStdin: Bool = false
    /// Stderr attached.
    public var OpenStderr: Bool = false
    /// Stdout attached.
    public var OpenStdout: Bool = false
    /// Can be removed.
    public var CanRemove: Bool = false
    /// Owning container ID.
    public var ContainerID: String = ""
    /// Detach keys.
    public var DetachKeys: String = ""
    /// Host PID.
    public var Pid: Int = 0
    /// Creates an empty exec inspect body.
    public init() {}
}
