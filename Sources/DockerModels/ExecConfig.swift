/// `POST /containers/{id}/exec` body (contract 6.10).
public struct ExecConfig: Codable, Sendable, Equatable {
    /// `user[:group]`.
    public var User: String?
    /// Privileged exec.
    public var Privileged: Bool?
    /// Allocate a TTY.
    public var Tty: Bool?
    /// Attach stdin.
    public var AttachStdin: Bool?
    /// Attach stderr.
    public var AttachStderr: Bool?
    /// Attach stdout.
    public var AttachStdout: Bool?
    /// `-d`.
    public var Detach: Bool?
    /// Detach key sequence.
    public var DetachKeys: String?
    /// Extra `KEY=value` entries.
    public var Env: [String]?
    /// Working directory.
    public var WorkingDir: String?
    /// Command.
    public var Cmd: [String]?
    /// Creates an empty exec config.
    public init() {}
}
