/// A parsed Dockerfile: its parser directives and instructions, as dockerd's legacy builder reads them.
public struct Dockerfile: Hashable, Sendable {
    /// The instructions every Dockerfile may use.
    public static let keywords: Set<String> = [
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
        "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    ]
    /// The instructions that take `--flag=value` options.
    static let flagged: Set<String> = ["FROM", "RUN", "ADD", "COPY", "HEALTHCHECK"]

    /// The escape character (`\` unless `# escape=` says otherwise).
    public var escape: Character
    /// The instructions in order.
    public var instructions: [DockerfileInstruction]

    /// Parses `text`: the `# escape=` and `# syntax=` directives at the top, comments, blank lines, line
    /// continuations (the escape character at the end of a line), keywords and leading `--flags`.
    public init(parsing text: String) throws(DockerfileError) {
        var escape: Character = "\\"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        var index = 0
        // Parser directives: `# key=value` lines before anything else.
        while index < lines.count {
            let line = lines[index].trimmingSpaces()
            guard line.hasPrefix("#") else { break }
            let body = String(line.dropFirst()).trimmingSpaces()
            guard let equals = body.firstIndex(of: "=") else { break }
            let key = String(body[..<equals]).trimmingSpaces().lowercased()
            let value = String(body[body.index(after: equals)...]).trimmingSpaces()
            guard key == "escape" || key == "syntax" else { break }
            if key == "escape" {
                guard value == "\\" || value == "`" else {
                    throw DockerfileError(line: index + 1, "invalid ESCAPE '\(value)'. Must be ` or \\")
                }
                escape = value == "`" ? "`" : "\\"
            }
            index += 1
        }
        self.escape = escape
        var instructions: [DockerfileInstruction] = []
        while index < lines.count {
            let start = index
            var line = lines[index]
            index += 1
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            var joined = ""
            while true {
                let stripped = line.trimmingTrailing()
                if stripped.last == escape {
                    joined += String(stripped.dropLast())
                    // The next non-comment line continues this one; blank lines between are skipped.
                    var next: String?
                    while index < lines.count {
                        let candidate = lines[index]
                        index += 1
                        let body = candidate.trimmingSpaces()
                        if body.hasPrefix("#") || body.isEmpty { continue }
                        next = candidate
                        break
                    }
                    guard let next else { break }
                    line = next
                } else {
                    joined += line
                    break
                }
            }
            instructions.append(try Self.instruction(joined.trimmingSpaces(), line: start + 1))
        }
        self.instructions = instructions
    }

    /// Splits one joined line into keyword, flags and arguments (also an ONBUILD trigger's text).
    public static func instruction(_ text: String, line: Int) throws(DockerfileError) -> DockerfileInstruction {
        let keyword = String(text.prefix { $0 != " " && $0 != "\t" })
        let upper = keyword.uppercased()
        guard keywords.contains(upper) else { throw DockerfileError(line: line, "unknown instruction: \(upper)") }
        var rest = Substring(text.dropFirst(keyword.count)).drop { $0 == " " || $0 == "\t" }
        var flags: [String: String] = [:]
        if flagged.contains(upper) {
            while rest.hasPrefix("--") {
                let word = rest.prefix { $0 != " " && $0 != "\t" }
                let body = word.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let value = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : "true"
                guard !name.isEmpty else { throw DockerfileError(line: line, "invalid flag \(word)") }
                flags[name.lowercased()] = value
                rest = rest.dropFirst(word.count).drop { $0 == " " || $0 == "\t" }
            }
        }
        let arguments = String(rest)
        if arguments.trimmingSpaces().isEmpty {
            throw DockerfileError(line: line, "\(upper) requires at least one argument")
        }
        return DockerfileInstruction(keyword: upper, flags: flags, arguments: arguments, original: text, line: line)
    }
}

extension String {
    /// The string without trailing spaces and tabs.
    func trimmingTrailing() -> String {
        var result = Substring(self)
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return String(result)
    }
}
