/// What a client attaches to (`POST /containers/{id}/attach`).
public struct AttachRequest: Sendable, Equatable {
    /// Forward the client's stdin (only when the container has `OpenStdin`).
    public var stdin: Bool = false
    /// Send stdout.
    public var stdout: Bool = true
    /// Send stderr.
    public var stderr: Bool = true
    /// Send the output logged so far first.
    public var logs: Bool = false
    /// Send live output.
    public var stream: Bool = true
    /// Docker's `--detach-keys` syntax; nil for the default Ctrl-P Ctrl-Q.
    public var detachKeys: String?

    /// Creates a request for live stdout and stderr.
    public init() {}
}
