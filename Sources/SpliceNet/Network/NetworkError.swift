/// Why a network operation failed, with what the user can do about it.
public struct NetworkError: Error, Equatable, CustomStringConvertible {
    /// What kind of failure, for callers (the engine maps these to HTTP statuses).
    public enum Code: Sendable, Equatable {
        case notFound, conflict, invalidArgument, unavailable, `internal`
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Converts any error met while applying a step, keeping its text.
    public init(wrapping error: any Error) {
        if let error = error as? NetworkError { self = error } else { self.init(.internal, "\(error)") }
    }

    public var description: String { message }
}
