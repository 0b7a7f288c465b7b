import SpliceRuntime

/// One `docker exec` instance: what to run in which container, and how it went.
public struct ExecRecord: Sendable {
    /// 64 hex digits.
    public var id: String
    /// The container's id.
    public var containerID: String
    /// The command and its arguments.
    public var command: [String]
    /// Extra environment entries, `NAME=value`.
    public var env: [String] = []
    /// The user; empty for the container's.
    public var user: String = ""
    /// The working directory; empty for the container's.
    public var workingDir: String = ""
    /// Allocate a pseudo-terminal.
    public var tty: Bool = false
    /// Forward the client's stdin.
    public var attachStdin: Bool = false
    /// Send stdout to the client.
    public var attachStdout: Bool = true
    /// Send stderr to the client.
    public var attachStderr: Bool = true
    /// Run privileged.
    public var privileged: Bool = false
    /// The detach keys as given (Docker's syntax); empty for the default.
    public var detachKeys: String = ""
    /// Whether the process runs.
    public var running: Bool = false
    /// Its exit code once it ended, nil before.
    public var exitCode: Int32?
    /// Its host pid while running, else 0.
    public var pid: Int32 = 0
    /// Whether it has been started (an exec runs once).
    public var started: Bool = false
    /// The process while it runs.
    var process: ExecProcess?

    /// Creates an exec of `command` in container `containerID`.
    public init(id: String, containerID: String, command: [String]) {
        self.id = id
        self.containerID = containerID
        self.command = command
    }

    /// The `exec_*` event action: `exec_start: echo hi`.
    func action(_ verb: String) -> String { "\(verb): " + command.joined(separator: " ") }
}
