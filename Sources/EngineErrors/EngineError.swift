/// An error the engine reports to the API; only SpliceAPI maps `code` to an HTTP status.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure, which decides the HTTP status.
    public enum Code: String, Sendable, Equatable {
        /// 404: no such container, image, exec, ...
        case notFound
        /// 403: the operation is not allowed (a network in use or pre-defined, an overlapping pool).
        case forbidden
        /// 409: name in use, container running or not running, image in use.
        case conflict
        /// 400: a bad parameter or body, or a failed start the client caused.
        case invalidArgument
        /// 413: a request body over the limit the route accepts.
        case tooLarge
        /// 503: the engine cannot serve the request now.
        case unavailable
        /// 501: the container's configuration does not offer it (logs of `--log-driver none`).
        case notImplemented
        /// 500: anything else.
        case `internal`
    }

    /// Failure kind.
    public var code: Code
    /// Message shown by the CLI as `Error response from daemon: <message>`.
    public var message: String
    /// Underlying error, for logs only.
    public var cause: (any Error & Sendable)?

    /// Creates an engine error.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// `No such container: <id>`.
    public static func noSuchContainer(_ id: String) -> EngineError { EngineError(.notFound, "No such container: \(id)") }
    /// `No such image: <ref>`.
    public static func noSuchImage(_ ref: String) -> EngineError { EngineError(.notFound, "No such image: \(ref)") }
    /// `No such exec instance: <id>`.
    public static func noSuchExec(_ id: String) -> EngineError { EngineError(.notFound, "No such exec instance: \(id)") }

    /// The message.
    public var description: String { "\(code.rawValue): \(message)" }

    /// Compares code and message.
    public static func == (lhs: EngineError, rhs: EngineError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }
}
