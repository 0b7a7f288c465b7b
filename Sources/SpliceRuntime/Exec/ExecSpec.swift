/// A process to start inside a running container (`docker exec`): it joins every namespace and the cgroup of the
/// container's pid 1 and gets the container's security settings.
public struct ExecSpec: Codable, Sendable, Equatable {
    /// The command and its arguments; a bare name is looked up in `PATH` from `environment`.
    public var command: [String]
    /// Environment entries, `NAME=value` (the container's, then `-e`).
    public var environment: [String]
    /// The working directory inside the container.
    public var workingDirectory: String
    /// The user, `uid[:gid]` (numeric) or `root`; names are resolved by the engine.
    public var user: String
    /// Supplementary group ids.
    public var additionalGroups: [UInt32]
    /// Allocate a pseudo-terminal (`-t`).
    public var tty: Bool
    /// Keep stdin open (`-i`); without it stdin is `/dev/null`.
    public var openStdin: Bool
    /// The terminal's initial size, when `tty`.
    public var consoleSize: TerminalSize?
    /// Capabilities to add to Docker's default set.
    public var capAdd: [String]
    /// Capabilities to drop from Docker's default set.
    public var capDrop: [String]
    /// All capabilities and no seccomp (`--privileged`).
    public var privileged: Bool
    /// Sets `no_new_privs` before exec.
    public var noNewPrivileges: Bool
    /// The seccomp filter (the container's).
    public var seccomp: SeccompSetting
    /// The default filter as the daemon built it (nil: the exec launcher builds it).
    public var compiledSeccomp: CompiledSeccomp? = nil
    /// The container's `--oom-score-adj`, written for the process before it runs; nil to keep the launcher's.
    public var oomScoreAdjust: Int? = nil

    /// Creates a spec with Docker's defaults for everything but the command.
    public init(
        command: [String], environment: [String] = [], workingDirectory: String = "/", user: String = "root",
        additionalGroups: [UInt32] = [], tty: Bool = false, openStdin: Bool = false, consoleSize: TerminalSize? = nil,
        capAdd: [String] = [], capDrop: [String] = [], privileged: Bool = false, noNewPrivileges: Bool = false,
        seccomp: SeccompSetting = .default
    ) {
        self.command = command
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.user = user
        self.additionalGroups = additionalGroups
        self.tty = tty
        self.openStdin = openStdin
        self.consoleSize = consoleSize
        self.capAdd = capAdd
        self.capDrop = capDrop
        self.privileged = privileged
        self.noNewPrivileges = noNewPrivileges
        self.seccomp = seccomp
    }
}
