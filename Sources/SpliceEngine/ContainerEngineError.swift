/// A failure of a container engine operation; the daemon maps `code` to the API's error kinds.
public struct ContainerEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable, Equatable {
        /// No such container or image.
        case notFound
        /// Name in use, container running or not running.
        case conflict
        /// A bad parameter.
        case invalidArgument
        /// The engine cannot do it (not supported here).
        case unavailable
        /// Anything else.
        case `internal`
    }

    /// Failure kind.
    public var code: Code
    /// The message shown to the user.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `No such container: <reference>`.
    public static func noSuchContainer(_ reference: String) -> ContainerEngineError {
        ContainerEngineError(.notFound, "No such container: \(reference)")
    }

    /// The message.
    public var description: String { message }
}
