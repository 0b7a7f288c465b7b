import struct EngineErrors.EngineError

/// A parsed query string with Docker's value rules (booleans, repeated keys, `filters`).
public struct QueryParameters: Sendable, Equatable {
    /// Values per key, in the order they appeared.
    public private(set) var values: [String: [String]] = [:]

    /// Parses `a=1&b=x%2Fy&b=2`; malformed escapes keep the raw text.
    public init(_ query: Substring) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = PercentDecoding.decode(parts[0], plusIsSpace: true) ?? String(parts[0])
            let raw = parts.count > 1 ? parts[1] : ""
            values[key, default: []].append(PercentDecoding.decode(raw, plusIsSpace: true) ?? String(raw))
        }
    }

    /// The first value of `key`.
    public func string(_ key: String) -> String? { values[key]?.first }

    /// Every value of a repeated key (`changes`, `names`).
    public func strings(_ key: String) -> [String] { values[key] ?? [] }

    /// dockerd's boolean: false when absent, empty, `0`, `no`, `false` or `none` (any case); true otherwise.
    public func bool(_ key: String) -> Bool {
        guard let value = string(key) else { return false }
        return !["", "0", "no", "false", "none"].contains(value.lowercased())
    }

    /// An integer value; nil when absent or empty, `invalidArgument` when not a number.
    public func int(_ key: String) throws(EngineError) -> Int? {
        guard let value = string(key), !value.isEmpty else { return nil }
        guard let number = Int(value) else {
            throw EngineError(.invalidArgument, "invalid value for \(key): \(value)")
        }
        return number
    }

    /// The decoded `filters` parameter; empty when absent.
    public func filters() throws(EngineError) -> [String: [String]] {
        guard let text = string("filters") else { return [:] }
        return try Filters.decode(text)
    }
}
