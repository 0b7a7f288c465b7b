import SpliceImages

/// Times as the Docker API passes them in `since`/`until` (`1700000000`, `1700000000.123456789`, or RFC 3339), and
/// as the json-file log writes them, turned into Unix nanoseconds.
public enum APITime {
    /// Unix nanoseconds of `text`, nil when it is neither decimal seconds nor RFC 3339. A time beyond what
    /// `Int64` nanoseconds hold (before 1677 or after 2262) saturates to `Int64.min`/`Int64.max`: it still
    /// orders correctly against every event and log record.
    public static func nanoseconds(_ text: String) -> Int64? {
        if let timestamp = Timestamp(rfc3339: text) {
            return combine(seconds: timestamp.seconds, nanoseconds: Int64(timestamp.nanoseconds))
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let seconds = Int64(first) else { return nil }
        var nanos: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            for digit in digits.prefix(9) { nanos = nanos * 10 + Int64(digit.wholeNumberValue ?? 0) }
            for _ in min(digits.count, 9)..<9 { nanos *= 10 }
        }
        let negative = seconds < 0 || first.hasPrefix("-")
        return combine(seconds: seconds, nanoseconds: negative ? -nanos : nanos)
    }

    /// `seconds × 10⁹ + nanoseconds` with checked arithmetic, saturating at the ends of `Int64`.
    static func combine(seconds: Int64, nanoseconds: Int64) -> Int64 {
        let limit = seconds < 0 || (seconds == 0 && nanoseconds < 0) ? Int64.min : Int64.max
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return limit }
        let (sum, carry) = scaled.addingReportingOverflow(nanoseconds)
        return carry ? limit : sum
    }

    /// The current time in Unix nanoseconds.
    public static func now() -> Int64 {
        let now = Timestamp.now()
        return now.seconds * 1_000_000_000 + Int64(now.nanoseconds)
    }
}
