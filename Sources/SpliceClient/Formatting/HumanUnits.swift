import DockerModels

/// go-units' human-readable durations and sizes, as the docker CLI prints them.
public enum HumanUnits {
    /// `units.HumanDuration`: "Less than a second", "About a minute", "2 hours", …
    public static func duration(seconds: Int64) -> String {
        if seconds < 1 { return "Less than a second" }
        if seconds == 1 { return "1 second" }
        if seconds < 60 { return "\(seconds) seconds" }
        let minutes = seconds / 60
        if minutes == 1 { return "About a minute" }
        if minutes < 60 { return "\(minutes) minutes" }
        let hours = Int64((Double(seconds) / 3600 + 0.5).rounded(.down))
        if hours == 1 { return "About an hour" }
        if hours < 48 { return "\(hours) hours" }
        if hours < 24 * 7 * 2 { return "\(hours / 24) days" }
        if hours < 24 * 30 * 2 { return "\(hours / 24 / 7) weeks" }
        if hours < 24 * 365 * 2 { return "\(hours / 24 / 30) months" }
        return "\(Int64(Double(seconds) / 3600 / 24 / 365)) years"
    }

    /// "<duration> ago" for a unix time relative to `now`.
    public static func ago(_ time: Int64, now: Int64) -> String { duration(seconds: now - time) + " ago" }

    /// `units.HumanSizeWithPrecision(size, digits)`: decimal units, three significant digits by default (`1.98MB`);
    /// `units.HumanSize` is four.
    public static func size(_ bytes: Int64, digits: Int = 3) -> String { HumanSize.decimal(bytes, digits: digits) }

    /// `units.BytesSize`: binary units, four significant digits (`532KiB`, `23.54GiB`), as `docker stats` shows
    /// memory.
    public static func binarySize(_ bytes: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
        var value = bytes
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return significant(value, digits: 4) + units[unit]
    }

    /// Go's `%.<digits>g` (see `HumanSize.significant`).
    static func significant(_ value: Double, digits: Int) -> String { HumanSize.significant(value, digits: digits) }
}
