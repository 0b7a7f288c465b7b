/// A word of a Dockerfile instruction that cannot be processed (an open quote, a bad `${...}`).
public struct DockerfileLexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
