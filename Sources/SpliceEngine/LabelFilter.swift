/// dockerd's `label` filter (`MatchKVList`): every value must match; `key` needs the label, `key=value` its value.
public enum LabelFilter {
    /// Whether `labels` pass every value of a `label` filter. An empty key (`label=`, `=`, `=x`) matches nothing.
    public static func matches(_ labels: [String: String], _ wanted: [String]) -> Bool {
        wanted.allSatisfy { matches(labels, $0) }
    }

    /// Whether `labels` pass one `key` or `key=value`.
    public static func matches(_ labels: [String: String], _ wanted: String) -> Bool {
        let parts = wanted.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard let key = parts.first, !key.isEmpty, let value = labels[String(key)] else { return false }
        return parts.count == 1 || value == parts[1]
    }
}
