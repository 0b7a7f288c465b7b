/// Why JSON text could not be parsed, and where.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public let reason: String
    /// The byte offset of the problem.
    public let offset: Int

    /// Creates an error at `offset`.
    public init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// `<reason> at offset <n>`.
    public var description: String { "\(reason) at offset \(offset)" }
}
