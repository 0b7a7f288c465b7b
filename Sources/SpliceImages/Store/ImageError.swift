import SystemKit

/// A failure of the image store, with a code the API layer maps to an HTTP status and a message in Docker's words.
public struct ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// The image, tag or blob does not exist (HTTP 404).
        case notFound
        /// The request conflicts with the current state, such as removing an image in use (HTTP 409).
        case conflict
        /// The request is malformed, such as a bad reference or a corrupt archive (HTTP 400).
        case invalidArgument
        /// Anything else, usually a failed system call (HTTP 500).
        case `internal`
    }

    /// The kind of failure.
    public let code: Code
    /// The text shown to the user, worded as dockerd words it where the captures show it.
    public let message: String
    /// The system call that failed, when there is one.
    public let cause: SystemError?

    /// Creates an error with a code and message.
    public init(_ code: Code, _ message: String, cause: SystemError? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// `No such image: <name>`, as dockerd reports a missing image.
    public static func noSuchImage(_ name: String) -> ImageError { ImageError(.notFound, "No such image: \(name)") }

    /// Wraps a failed system call as an internal error.
    public static func system(_ error: SystemError) -> ImageError {
        ImageError(.internal, error.goDescription, cause: error)
    }

    /// The message, for logs and the CLI.
    public var description: String { message }
}
