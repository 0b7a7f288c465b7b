import SpliceImages

/// Times as the Docker API passes them in `since`/`until` (`1700000000`, `1700000000.123456789`, or RFC 3339), and
/// as the json-file log writes them, turned into Unix nanoseconds.
public enum APITime {
    /// Unix nanoseconds of `text`, nil when it is neither decimal seconds nor RFC 3339.
    public static func nanoseconds(_ text: String) -> Int64? {
        if let timestamp = Timestamp(rfc3339: text) {
            return timestamp.seconds * 1_000_000_000 + Int64(timestamp.nanoseconds)
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let seconds = Int64(first) else { return nil }
        var nanos: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return nil }
            let kept = String(digits.prefix(9))
            nanos = (Int64(kept) ?? 0) * Int64(pow10(9 - kept.count))
        }
        return seconds * 1_000_000_000 + (seconds < 0 ? -nanos : nanos)
    }

    /// 10 to the power `exponent`.
    private static func pow10(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }

    /// The current time in Unix nanoseconds.
    public static func now() -> Int64 {
        let now = Timestamp.now()
        return now.seconds * 1_000_000_000 + Int64(now.nanoseconds)
    }
}
