/// A Dockerfile that cannot be parsed or an instruction that cannot be applied, naming its line.
public struct DockerfileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based line the instruction starts on.
    public let line: Int
    /// What is wrong, in dockerd's words where it has them.
    public let message: String

    /// Creates an error.
    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    /// `Dockerfile parse error line 3: unknown instruction: RUNN`, as dockerd's legacy builder words it.
    public var description: String { "Dockerfile parse error line \(line): \(message)" }
}
