import FoundationEssentials

/// One `--change` instruction of `docker import` and `docker commit`, in Dockerfile syntax.
public enum ImageChange: Hashable, Sendable {
    /// `CMD ["a","b"]` or `CMD a b` (shell form, run by `/bin/sh -c`).
    case cmd([String])
    /// `ENTRYPOINT ["a"]` or shell form.
    case entrypoint([String])
    /// `ENV A=1 B="two words"` or `ENV A 1`.
    case env([(String, String)])
    /// `EXPOSE 80 53/udp`.
    case expose([String])
    /// `LABEL a=b "c d"=e`.
    case label([(String, String)])
    /// `USER name[:group]`.
    case user(String)
    /// `WORKDIR /path`.
    case workdir(String)
    /// `VOLUME ["/data"]` or `VOLUME /data /logs`.
    case volume([String])
    /// `STOPSIGNAL SIGTERM`.
    case stopSignal(String)

    /// Parses one instruction; `invalidArgument` for unknown or malformed ones, in dockerd's words.
    public init(parsing text: String) throws(ImageError) {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        let keyword = trimmed.prefix { $0 != " " && $0 != "\t" }
        let argument = String(trimmed.dropFirst(keyword.count).drop { $0 == " " || $0 == "\t" })
            .trimmingTrailingWhitespace()
        func require(_ condition: Bool) throws(ImageError) {
            if !condition {
                throw ImageError(.invalidArgument, "\(keyword.uppercased()) requires at least one argument")
            }
        }
        switch keyword.uppercased() {
        case "CMD": self = .cmd(ImageChange.commandForm(argument))
        case "ENTRYPOINT": self = .entrypoint(ImageChange.commandForm(argument))
        case "ENV":
            try require(!argument.isEmpty)
            self = .env(try ImageChange.pairs(argument, keyword: "ENV"))
        case "LABEL":
            try require(!argument.isEmpty)
            self = .label(try ImageChange.pairs(argument, keyword: "LABEL"))
        case "EXPOSE":
            let ports = ImageChange.words(argument)
            try require(!ports.isEmpty)
            self = .expose(ports.map { $0.contains("/") ? $0.lowercased() : $0 + "/tcp" })
        case "USER":
            try require(!argument.isEmpty)
            self = .user(argument)
        case "WORKDIR":
            try require(!argument.isEmpty)
            self = .workdir(argument)
        case "VOLUME":
            let volumes = argument.hasPrefix("[") ? ImageChange.commandForm(argument) : ImageChange.words(argument)
            try require(!volumes.isEmpty)
            self = .volume(volumes)
        case "STOPSIGNAL":
            try require(!argument.isEmpty)
            self = .stopSignal(argument)
        default:
            throw ImageError(.invalidArgument, "\(keyword) is not a valid change command")
        }
    }

    /// Applies the instruction to `config`.
    public func apply(to config: inout ContainerConfig) {
        switch self {
        case .cmd(let argv): config.cmd = argv
        case .entrypoint(let argv): config.entrypoint = argv
        case .env(let pairs):
            var env = config.env ?? []
            for (name, value) in pairs {
                env.removeAll { $0 == name || $0.hasPrefix(name + "=") }
                env.append("\(name)=\(value)")
            }
            config.env = env
        case .expose(let ports):
            var exposed = config.exposedPorts ?? [:]
            for port in ports { exposed[port] = ContainerConfig.EmptyObject() }
            config.exposedPorts = exposed
        case .label(let pairs):
            var labels = config.labels ?? [:]
            for (name, value) in pairs { labels[name] = value }
            config.labels = labels
        case .user(let user): config.user = user
        case .workdir(let directory): config.workingDir = directory
        case .volume(let paths):
            var volumes = config.volumes ?? [:]
            for path in paths { volumes[path] = ContainerConfig.EmptyObject() }
            config.volumes = volumes
        case .stopSignal(let signal): config.stopSignal = signal
        }
    }

    /// Compares instructions, pairs element by element.
    public static func == (lhs: ImageChange, rhs: ImageChange) -> Bool {
        switch (lhs, rhs) {
        case (.cmd(let a), .cmd(let b)), (.entrypoint(let a), .entrypoint(let b)), (.expose(let a), .expose(let b)),
            (.volume(let a), .volume(let b)):
            return a == b
        case (.env(let a), .env(let b)), (.label(let a), .label(let b)):
            return a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        case (.user(let a), .user(let b)), (.workdir(let a), .workdir(let b)), (.stopSignal(let a), .stopSignal(let b)):
            return a == b
        default:
            return false
        }
    }

    /// Hashes the instruction's text form.
    public func hash(into hasher: inout Hasher) { hasher.combine(String(describing: self)) }

    /// A JSON array of strings (exec form), or else `/bin/sh -c <text>` (shell form).
    static func commandForm(_ argument: String) -> [String] {
        if argument.hasPrefix("["), let argv = try? JSONDecoder().decode([String].self, from: Data(argument.utf8)) {
            return argv
        }
        return argument.isEmpty ? [] : ["/bin/sh", "-c", argument]
    }

    /// `key=value` words (quotes and backslashes removed), or the legacy `key value` form.
    static func pairs(_ argument: String, keyword: String) throws(ImageError) -> [(String, String)] {
        let tokens = words(argument)
        guard tokens.first?.contains("=") == true else {
            let parts = argument.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2 else { throw ImageError(.invalidArgument, "\(keyword) must have two arguments") }
            return [(String(parts[0]), words(String(parts[1])).joined(separator: " "))]
        }
        var result: [(String, String)] = []
        for token in tokens {
            guard let equals = token.firstIndex(of: "="), equals != token.startIndex else {
                throw ImageError(.invalidArgument, "\(keyword) names can not be blank")
            }
            result.append((String(token[..<equals]), String(token[token.index(after: equals)...])))
        }
        return result
    }

    /// Splits on unquoted whitespace, removing quotes and backslash escapes as the Dockerfile parser does.
    static func words(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" && quote != "'" {
                escaped = true
                inWord = true
            } else if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { result.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { result.append(current) }
        return result
    }
}

extension String {
    /// The string without trailing spaces, tabs and newlines.
    fileprivate func trimmingTrailingWhitespace() -> String {
        var result = self
        while let last = result.last, last == " " || last == "\t" || last == "\n" || last == "\r" {
            result.removeLast()
        }
        return result
    }
}
