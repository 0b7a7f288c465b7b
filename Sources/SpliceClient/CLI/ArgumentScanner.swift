/// Docker-style (pflag) command-line parsing: `-a`, `-aq`, `-n 5`, `-n5`, `--name x`, `--name=x`, `--`.
public struct ArgumentScanner: Sendable {
    /// One accepted flag.
    public struct Flag: Sendable {
        /// The canonical (long) name without dashes, used to look values up.
        public var name: String
        /// Single-letter shorthand, if any.
        public var short: Character?
        /// Whether the flag takes a value.
        public var takesValue: Bool

        /// Creates a flag.
        public init(_ name: String, _ short: Character? = nil, value: Bool = false) {
            self.name = name
            self.short = short
            self.takesValue = value
        }

        /// `-n, --last` as pflag prints it in errors.
        public var display: String { short.map { "-\($0), --\(name)" } ?? "--\(name)" }
    }

    /// The result of a scan.
    public struct Parsed: Sendable {
        /// Values of flags that take one, in order of appearance.
        public var values: [String: [String]] = [:]
        /// Boolean flags that were given (and not set to false).
        public var bools: Set<String> = []
        /// Boolean flags explicitly set to false (`--sig-proxy=false`).
        public var falses: Set<String> = []
        /// Positional arguments.
        public var positionals: [String] = []

        /// Whether boolean flag `name` is on.
        public func bool(_ name: String) -> Bool { bools.contains(name) }
        /// Whether a default-on boolean flag `name` is on (not given as `=false`).
        public func defaultOn(_ name: String) -> Bool { !falses.contains(name) }
        /// The last value of `name`.
        public func value(_ name: String) -> String? { values[name]?.last }
        /// All values of `name`.
        public func all(_ name: String) -> [String] { values[name] ?? [] }
    }

    private let command: String
    private let flags: [Flag]
    private let interspersed: Bool

    /// Creates a scanner for `command`; `interspersed: false` stops at the first positional (as `run` does).
    public init(command: String, flags: [Flag], interspersed: Bool = true) {
        self.command = command
        self.flags = flags + [Flag("help")]
        self.interspersed = interspersed
    }

    /// The flag's display form (`-c, --cpu-shares`) for error messages.
    public func display(_ name: String) -> String { flags.first(where: { $0.name == name })?.display ?? "--\(name)" }

    /// docker's wording for a bad flag value: `invalid argument "V" for "-c, --cpu-shares" flag: REASON`.
    public func invalid(_ name: String, _ value: String, _ reason: String) -> ClientError {
        usageError("invalid argument \"\(value)\" for \"\(display(name))\" flag: \(reason)")
    }

    private func usageError(_ text: String) -> ClientError {
        .usage("\(text)\nSee 'splice \(command) --help'.")
    }

    /// Scans `arguments` (without the command name).
    public func scan(_ arguments: [String]) throws(ClientError) -> Parsed {
        var parsed = Parsed()
        var index = 0
        func record(_ flag: Flag, _ inline: String?, _ shown: String) throws(ClientError) {
            if flag.takesValue {
                if let inline {
                    parsed.values[flag.name, default: []].append(inline)
                } else {
                    index += 1
                    guard index < arguments.count else { throw usageError("flag needs an argument: \(shown)") }
                    parsed.values[flag.name, default: []].append(arguments[index])
                }
            } else if let inline {
                switch inline.lowercased() {
                case "true", "1", "t":
                    parsed.bools.insert(flag.name)
                    parsed.falses.remove(flag.name)
                case "false", "0", "f":
                    parsed.bools.remove(flag.name)
                    parsed.falses.insert(flag.name)
                default:
                    throw usageError("invalid argument \"\(inline)\" for \"\(flag.display)\" flag: "
                        + "strconv.ParseBool: parsing \"\(inline)\": invalid syntax")
                }
            } else {
                if flag.name == "help" { throw .help }
                parsed.bools.insert(flag.name)
            }
        }
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                parsed.positionals += arguments[(index + 1)...]
                break
            }
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let name = body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                let inline = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
                guard let flag = flags.first(where: { $0.name == name }) else {
                    throw usageError("unknown flag: --\(name)")
                }
                try record(flag, inline, "--\(name)")
            } else if argument.hasPrefix("-"), argument.count > 1 {
                var letters = Substring(argument.dropFirst())
                while let letter = letters.first {
                    letters = letters.dropFirst()
                    guard let flag = flags.first(where: { $0.short == letter }) else {
                        throw usageError("unknown shorthand flag: '\(letter)' in \(argument)")
                    }
                    if flag.takesValue {
                        var inline: String? = letters.isEmpty ? nil : String(letters)
                        if let value = inline, value.hasPrefix("=") { inline = String(value.dropFirst()) }
                        try record(flag, inline, "'\(letter)' in -\(letter)")
                        break
                    }
                    try record(flag, nil, "-\(letter)")
                }
            } else {
                parsed.positionals.append(argument)
                if !interspersed {
                    parsed.positionals += arguments[(index + 1)...]
                    break
                }
            }
            index += 1
        }
        return parsed
    }

    /// Parses an integer flag value with pflag's wording on failure.
    public func integer(_ parsed: Parsed, _ name: String) throws(ClientError) -> Int? {
        guard let text = parsed.value(name) else { return nil }
        guard let value = Int(text) else {
            let display = flags.first(where: { $0.name == name })?.display ?? "--\(name)"
            throw usageError("invalid argument \"\(text)\" for \"\(display)\" flag: strconv.ParseInt: parsing "
                + "\"\(text)\": invalid syntax")
        }
        return value
    }

    /// Throws docker's "requires …" error when the positional count is outside `range`.
    public func requireArguments(_ parsed: Parsed, _ range: ClosedRange<Int>, usage: String) throws(ClientError) {
        guard !range.contains(parsed.positionals.count) else { return }
        let requirement: String
        if range.lowerBound == range.upperBound {
            requirement = "exactly \(range.lowerBound) argument" + (range.lowerBound == 1 ? "" : "s")
        } else if range.upperBound == Int.max {
            requirement = "at least \(range.lowerBound) argument" + (range.lowerBound == 1 ? "" : "s")
        } else {
            requirement = "at least \(range.lowerBound) and at most \(range.upperBound) arguments"
        }
        throw .usage("\"splice \(command)\" requires \(requirement).\nSee 'splice \(command) --help'.\n\n"
            + "Usage:  splice \(command) \(usage)")
    }
}
