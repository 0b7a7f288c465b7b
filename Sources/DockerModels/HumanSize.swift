/// go-units' decimal sizes (`1.98MB`, `32.77kB`), shared by the daemon's progress bars and the client's tables.
public enum HumanSize {
    /// `units.HumanSizeWithPrecision(size, digits)`: decimal units; `units.HumanSize` is four digits.
    public static func decimal(_ bytes: Int64, digits: Int = 3) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return significant(value, digits: digits) + units[unit]
    }

    /// Go's `%.<digits>g` for values below 10^digits (no exponent form needed after unit scaling).
    public static func significant(_ value: Double, digits: Int) -> String {
        guard value > 0 else { return "0" }
        var magnitude = 0
        var probe = value
        while probe >= 10 { probe /= 10; magnitude += 1 }
        while probe < 1 { probe *= 10; magnitude -= 1 }
        let decimals = max(0, digits - 1 - magnitude)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var limit = 1.0
        for _ in 0..<digits { limit *= 10 }
        if rounded >= limit { return "1e+0\(digits)" }
        let whole = Int64(rounded.rounded(.down))
        var fraction = Int64(((rounded - Double(whole)) * scale).rounded())
        var text = String(whole)
        guard decimals > 0, fraction > 0 else { return text }
        var fractionText = String(fraction)
        fractionText = String(repeating: "0", count: decimals - fractionText.count) + fractionText
        while fractionText.hasSuffix("0") {
            fractionText.removeLast()
            fraction /= 10
        }
        text += "." + fractionText
        return text
    }
}
