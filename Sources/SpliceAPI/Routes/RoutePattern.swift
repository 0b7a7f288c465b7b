/// A path pattern with at most one `{name}` that may contain `/` and `:` (contract 1: route on the fixed suffix).
struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    /// Literal text before `{name}` (or the whole path when there is no name).
    let prefix: String
    /// Literal text after `{name}`.
    let suffix: String
    /// Whether the pattern has a `{name}`.
    let hasName: Bool

    /// Parses `/containers/{name}/json`.
    init(_ pattern: String) {
        if let open = pattern.firstIndex(of: "{"), let close = pattern.firstIndex(of: "}") {
            prefix = String(pattern[..<open])
            suffix = String(pattern[pattern.index(after: close)...])
            hasName = true
        } else {
            prefix = pattern
            suffix = ""
            hasName = false
        }
    }

    /// The name when `path` matches (empty for literal patterns), nil otherwise.
    func match(_ path: String) -> String? {
        guard hasName else { return path == prefix ? "" : nil }
        guard path.count > prefix.count + suffix.count, path.hasPrefix(prefix), path.hasSuffix(suffix) else {
            return nil
        }
        let name = path.dropFirst(prefix.count).dropLast(suffix.count)
        return String(name)
    }

    /// The pattern text.
    var description: String { hasName ? "\(prefix){name}\(suffix)" : prefix }
}
