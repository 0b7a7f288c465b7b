import FoundationEssentials

/// One instruction of a Dockerfile after continuation lines are joined: the keyword, its `--flags` and the rest.
public struct DockerfileInstruction: Hashable, Sendable {
    /// The keyword in upper case (`RUN`).
    public var keyword: String
    /// `--name=value` flags before the arguments (`--from`, `--chown`, `--interval`).
    public var flags: [String: String]
    /// The arguments after the flags, as written (continuations joined, comments removed).
    public var arguments: String
    /// The instruction as written, on one line (what `Step N/M :` shows).
    public var original: String
    /// The 1-based line it starts on.
    public var line: Int

    /// Creates an instruction.
    public init(keyword: String, flags: [String: String] = [:], arguments: String, original: String, line: Int) {
        self.keyword = keyword
        self.flags = flags
        self.arguments = arguments
        self.original = original
        self.line = line
    }

    /// The JSON array form (`["a","b"]`) of the arguments, or nil for the shell form.
    public var jsonArguments: [String]? {
        let trimmed = arguments.trimmingSpaces()
        guard trimmed.hasPrefix("["), trimmed.hasSuffix("]") else { return nil }
        return try? JSONDecoder().decode([String].self, from: Data(trimmed.utf8))
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, carriage returns and newlines.
    public func trimmingSpaces() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
