/// Query of `POST /containers/{id}/attach`.
public struct AttachOptions: Sendable, Equatable {
    /// Forward stdin.
    public var stdin: Bool = false
    /// Send stdout.
    public var stdout: Bool = false
    /// Send stderr.
    public var stderr: Bool = false
    /// `stream=1`: live output.
    public var stream: Bool = false
    /// `logs=1`: replay the log first.
    public var logs: Bool = false
    /// Server-side detach keys, if any.
    public var detachKeys: String?
    /// Creates default options.
    public init() {}
}
