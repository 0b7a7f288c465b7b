import Yams

/// A YAML mapping read strictly: every key must be one the section allows, and values are checked by type with
/// the line they stand on.
struct YAMLMap {
    /// The pairs in file order.
    let pairs: [(key: String, value: Node, line: Int)]
    /// What this mapping is, for errors (`node 'a'`, `the top level`).
    let section: String
    /// The line the mapping starts on.
    let line: Int

    /// Reads `node` as a mapping with string keys.
    init(_ node: Node, section: String) throws(LabError) {
        guard let mapping = node.mapping else {
            throw .invalid(line: Self.line(of: node), message: "\(section) must be a mapping")
        }
        var pairs: [(String, Node, Int)] = []
        for (key, value) in mapping {
            guard let name = key.string else {
                throw .invalid(line: Self.line(of: key), message: "\(section): keys must be strings")
            }
            pairs.append((name, value, Self.line(of: key)))
        }
        self.pairs = pairs
        self.section = section
        line = Self.line(of: node)
    }

    /// The 1-based line of `node`, or 0 when unknown.
    static func line(of node: Node) -> Int { node.mark?.line ?? 0 }

    /// Refuses any key not in `allowed`.
    func checkKeys(_ allowed: [String]) throws(LabError) {
        for pair in pairs where !allowed.contains(pair.key) {
            throw .unknownKey(key: pair.key, line: pair.line, section: section, allowed: allowed)
        }
    }

    /// The value under `key`.
    func value(_ key: String) -> Node? { pairs.first { $0.key == key }?.value }

    /// The line of `key`, or of the mapping when absent.
    func line(_ key: String) -> Int { pairs.first { $0.key == key }?.line ?? line }

    /// A scalar as text.
    func string(_ key: String) throws(LabError) -> String? {
        guard let node = value(key) else { return nil }
        guard node.scalar != nil, let text = node.string else {
            throw .invalid(line: line(key), message: "\(section): '\(key)' must be a scalar")
        }
        return text
    }

    /// A scalar that must be present.
    func required(_ key: String) throws(LabError) -> String {
        guard let text = try string(key) else {
            throw .invalid(line: line, message: "\(section): '\(key)' is required")
        }
        return text
    }

    /// An integer scalar.
    func int(_ key: String) throws(LabError) -> Int? {
        guard let text = try string(key) else { return nil }
        guard let value = Int(text) else {
            throw .invalid(line: line(key), message: "\(section): '\(key)' must be an integer, not '\(text)'")
        }
        return value
    }

    /// A number scalar.
    func double(_ key: String) throws(LabError) -> Double? {
        guard let text = try string(key) else { return nil }
        guard let value = Double(text) else {
            throw .invalid(line: line(key), message: "\(section): '\(key)' must be a number, not '\(text)'")
        }
        return value
    }

    /// A boolean scalar (`true`/`false`, `yes`/`no`).
    func bool(_ key: String) throws(LabError) -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw .invalid(line: line(key), message: "\(section): '\(key)' must be true or false, not '\(text)'")
        }
    }

    /// A list of scalars; a single scalar is a list of one.
    func strings(_ key: String) throws(LabError) -> [String] {
        guard let node = value(key) else { return [] }
        return try Self.strings(node, what: "\(section): '\(key)'")
    }

    /// `node` as a list of scalars (a single scalar is a list of one).
    static func strings(_ node: Node, what: String) throws(LabError) -> [String] {
        if node.scalar != nil, let text = node.string { return [text] }
        guard let sequence = node.sequence else {
            throw .invalid(line: line(of: node), message: "\(what) must be a list")
        }
        var result: [String] = []
        for item in sequence {
            guard item.scalar != nil, let text = item.string else {
                throw .invalid(line: line(of: item), message: "\(what): every item must be a scalar")
            }
            result.append(text)
        }
        return result
    }

    /// A mapping under `key` (nil when absent).
    func map(_ key: String, section: String) throws(LabError) -> YAMLMap? {
        guard let node = value(key) else { return nil }
        if node.null != nil { return nil }
        return try YAMLMap(node, section: section)
    }
}
