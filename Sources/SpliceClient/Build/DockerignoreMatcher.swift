import Glibc

/// `.dockerignore` as the docker CLI reads it: one pattern a line (`#` comments, `!` re-includes), `*`, `?`,
/// `[...]` within a path component and `**` across components; a pattern that matches a directory excludes
/// everything in it, and the last matching pattern decides.
public struct DockerignoreMatcher: Sendable {
    /// One pattern: its components and whether it re-includes.
    struct Pattern: Sendable {
        let components: [String]
        let negated: Bool
    }

    let patterns: [Pattern]

    /// Parses the file's text.
    public init(_ text: String) {
        var patterns: [Pattern] = []
        for raw in text.split(separator: "\n") {
            var line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            line = String(line.drop { $0 == " " || $0 == "\t" })
            while let last = line.last, last == " " || last == "\t" { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var negated = false
            if line.hasPrefix("!") {
                negated = true
                line = String(line.dropFirst())
            }
            var components: [String] = []
            for part in line.split(separator: "/") where part != "." {
                if part == ".." {
                    if !components.isEmpty { components.removeLast() }
                } else {
                    components.append(String(part))
                }
            }
            if !components.isEmpty { patterns.append(Pattern(components: components, negated: negated)) }
        }
        self.patterns = patterns
    }

    /// Whether some pattern re-includes (then an excluded directory must still be walked).
    public var hasExceptions: Bool { patterns.contains(where: \.negated) }

    /// Whether `path` (relative to the context, `/`-separated) is left out.
    public func excludes(_ path: String) -> Bool {
        let components = path.split(separator: "/").map(String.init)
        var excluded = false
        for pattern in patterns {
            var matched = false
            for length in stride(from: components.count, through: 1, by: -1)
            where Self.match(pattern.components[...], components[0..<length]) {
                matched = true
                break
            }
            if matched { excluded = !pattern.negated }
        }
        return excluded
    }

    /// Component-wise match with `**` spanning any number of components.
    static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            var rest = path
            while true {
                if match(pattern.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let name = path.first, fnmatch(first, name, 0) == 0 else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }
}
