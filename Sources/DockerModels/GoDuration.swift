/// Go's `time.ParseDuration`, which docker's flags (`--health-interval 1m30s`) and a Dockerfile's `HEALTHCHECK`
/// options use: an optional sign, then decimal numbers with optional fractions, each with a unit
/// (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`); `0` alone needs no unit.
public enum GoDuration {
    /// Nanoseconds of `text`; nil when it is not a Go duration or does not fit in `Int64` (Go refuses those too).
    public static func nanoseconds(_ text: String) -> Int64? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        let units: [(String, Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
                  let value = Double(number.hasPrefix(".") ? "0" + number : String(number)) else { return nil }
            rest = rest.dropFirst(number.count)
            // The longest unit that matches: `ms` before `m`.
            guard let unit = units.filter({ rest.hasPrefix($0.0) }).max(by: { $0.0.count < $1.0.count }) else {
                return nil
            }
            rest = rest.dropFirst(unit.0.count)
            total += value * unit.1
        }
        guard total.isFinite, total < 9_223_372_036_854_775_808.0 else { return nil }
        return negative ? -Int64(total) : Int64(total)
    }
}
