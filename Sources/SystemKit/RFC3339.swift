import Glibc

/// Go's `time.RFC3339Nano` in UTC, as dockerd writes times (`Created`, json-file log lines).
public enum RFC3339 {
    /// Formats seconds and nanoseconds since the epoch: `2026-11-29T17:20:32.44645576Z`, the fraction's
    /// trailing zeros dropped and no fraction at all for whole seconds.
    public static func format(seconds: Int64, nanoseconds: Int) -> String {
        var epoch = time_t(seconds)
        var parts = tm()
        gmtime_r(&epoch, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-"
            + pad(Int(parts.tm_mday), 2) + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":"
            + pad(Int(parts.tm_sec), 2)
        if nanoseconds > 0 {
            var fraction = pad(nanoseconds, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }
}
