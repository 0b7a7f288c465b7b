/// `--since`/`--until` values: unix seconds, Go durations (`10m`, `1h30m`) or RFC 3339 dates (UTC `Z`).
public enum Timestamp {
    /// The unix-seconds text the API expects.
    public static func unix(_ text: String, now: Int64, flag: String = "since") throws(ClientError) -> String {
        if Double(text) != nil { return text }
        if let seconds = duration(text) {
            let (since, overflow) = now.subtractingReportingOverflow(seconds)
            guard !overflow else {
                throw .usage("invalid value for \"\(flag)\": duration out of range: \"\(text)\"")
            }
            return String(since)
        }
        if let date = rfc3339(text) { return String(date) }
        if let date = rfc3339WithOffset(text) { return String(date) }
        throw .usage("invalid value for \"\(flag)\": failed to parse value as time or duration: \"\(text)\"")
    }

    /// `2026-11-29T19:00:00+02:00` (or `-05:30`): the local time minus the offset.
    private static func rfc3339WithOffset(_ text: String) -> Int64? {
        guard text.count > 6 else { return nil }
        let offset = text.suffix(6)
        guard let sign = offset.first, sign == "+" || sign == "-", offset.dropFirst(3).first == ":",
              let hours = Int64(offset.dropFirst().prefix(2)), let minutes = Int64(offset.suffix(2)),
              (0...23).contains(hours), (0...59).contains(minutes),
              let local = rfc3339(String(text.dropLast(6)) + "Z") else { return nil }
        let shift = (hours * 3600 + minutes * 60) * (sign == "+" ? 1 : -1)
        return local - shift
    }

    /// Whole seconds of a Go duration made of `s`, `m` and `h` parts; nil when malformed or beyond `Int64`.
    private static func duration(_ text: String) -> Int64? {
        var total: Int64 = 0
        var number = ""
        guard !text.isEmpty else { return nil }
        for character in text {
            if character.isASCII && character.isNumber { number.append(character); continue }
            let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600]
            guard let value = Int64(number), let unit = units[character] else { return nil }
            let (seconds, overflow) = value.multipliedReportingOverflow(by: unit)
            let (sum, carry) = total.addingReportingOverflow(seconds)
            guard !overflow, !carry else { return nil }
            total = sum
            number = ""
        }
        return number.isEmpty ? total : nil
    }

    /// Go's `time.ANSIC` in UTC (`Thu May  7 21:09:36 2026`), as `docker version` prints build times; nil if unparsable.
    public static func ansic(_ text: String) -> String? {
        guard let seconds = rfc3339(text) else { return nil }
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        let shifted = days + 719468
        let era = (shifted >= 0 ? shifted : shifted - 146096) / 146097
        let dayOfEra = shifted - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let dayText = day < 10 ? " \(day)" : "\(day)"
        return "\(weekday) \(months[Int(month - 1)]) \(dayText) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):"
            + "\(two(secondOfDay % 60)) \(year)"
    }

    private static func rfc3339(_ text: String) -> Int64? {
        var text = text
        if text.hasSuffix("+00:00") { text = String(text.dropLast(6)) + "Z" }
        guard text.hasSuffix("Z"), text.count >= 20 else { return nil }
        let digits = text.split(whereSeparator: { "-T:Z.".contains($0) }).map { Int64($0) }
        guard text.hasSuffix("Z"), digits.count >= 6, let year = digits[0], let month = digits[1], let day = digits[2],
              let hour = digits[3], let minute = digits[4], let second = digits[5],
              (0...9999).contains(year), (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146097 + dayOfEra - 719468
        return days * 86400 + hour * 3600 + minute * 60 + second
    }
}
