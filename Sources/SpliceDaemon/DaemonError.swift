/// A daemon startup failure.
public struct DaemonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }

    /// `-h`/`--help` was asked for: print `DaemonOptions.usage` and exit 0.
    public static let help = DaemonError("help requested")
}
