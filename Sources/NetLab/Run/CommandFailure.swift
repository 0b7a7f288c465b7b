import Foundation

/// A command that exited non-zero, with what it printed on stderr.
public struct CommandFailure: Error, CustomStringConvertible {
    /// The command line.
    public var command: [String]
    /// Its exit status.
    public var status: Int32
    /// What it printed on stderr (and stdout when stderr was empty).
    public var output: String

    /// The message for the user.
    public var description: String {
        "\(command.joined(separator: " ")) failed (exit \(status))"
            + (output.isEmpty ? "" : ": " + output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
