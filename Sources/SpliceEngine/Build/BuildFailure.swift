/// A build that stopped: the message the client prints and, for a failed RUN, the exit code it exits with.
public struct BuildFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message (`The command '/bin/sh -c false' returned a non-zero code: 1`).
    public let message: String
    /// The failed command's exit code, nil for other failures.
    public let code: Int?

    /// Creates a failure.
    public init(_ message: String, code: Int? = nil) {
        self.message = message
        self.code = code
    }

    /// The message.
    public var description: String { message }
}
