import SpliceImages
import struct EngineErrors.EngineError

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

    /// Unix seconds of a prune `until` filter: a timestamp, or a Go duration (`24h`, `1h30m`) before `now`;
    /// `invalidArgument` with dockerd's words when it is neither (or the duration is beyond `Int64` seconds).
    public static func untilSeconds(_ text: String, now: Int64) throws(EngineError) -> Int64 {
        if let nanoseconds = nanoseconds(text) { return nanoseconds / 1_000_000_000 }
        if let duration = goDurationSeconds(text) {
            let (since, overflow) = now.subtractingReportingOverflow(duration)
            if !overflow { return since }
        }
        throw EngineError(.invalidArgument, "failed to parse value as time or duration: \"\(text)\"")
    }

    /// Whole seconds of a Go duration made of `h`, `m` and `s` parts (`1.5h`, `1h30m`); nil when it is not one or
    /// when it is longer than `Int64` seconds hold (Go's `ParseDuration` refuses those too).
    public static func goDurationSeconds(_ text: String) -> Int64? {
        var total: Double = 0
        var number = ""
        var sawUnit = false
        for character in text {
            if character.isASCII && (character.isNumber || character == ".") {
                number.append(character)
                continue
            }
            let scale: Double
            switch character {
            case "h": scale = 3600
            case "m": scale = 60
            case "s": scale = 1
            default: return nil
            }
            guard let value = Double(number) else { return nil }
            total += value * scale
            number = ""
            sawUnit = true
        }
        // 2⁶³ is exactly representable; anything at or past it (or not finite) has no Int64 value.
        guard sawUnit, number.isEmpty, total.isFinite, total < 9_223_372_036_854_775_808.0 else { return nil }
        return Int64(total)
    }

    /// The current time in Unix nanoseconds.
    public static func now() -> Int64 {
        let now = Timestamp.now()
        return now.seconds * 1_000_000_000 + Int64(now.nanoseconds)
    }
}
