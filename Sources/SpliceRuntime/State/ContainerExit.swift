/// How a container ended, as the monitor records it in `exit.json`.
public struct ContainerExit: Codable, Sendable, Equatable {
    /// The exit code; 128 + the signal number when a signal killed it (Docker's convention).
    public var exitCode: Int32
    /// The signal that killed it, if one did.
    public var signal: Int32?
    /// When the monitor saw it end (RFC 3339).
    public var finishedAt: String
    /// Why it never ran, when setup failed.
    public var error: String?

    /// Creates an exit record.
    public init(exitCode: Int32, signal: Int32? = nil, finishedAt: String, error: String? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.finishedAt = finishedAt
        self.error = error
    }

    /// Decodes a `waitpid` status word as `cls_wait_status_code` reports it (negative = killed by that signal).
    public init(statusCode: Int32, finishedAt: String) {
        if statusCode < 0 {
            self.init(exitCode: 128 - statusCode, signal: -statusCode, finishedAt: finishedAt)
        } else {
            self.init(exitCode: statusCode, finishedAt: finishedAt)
        }
    }
}
