import SpliceImages
import struct EngineErrors.EngineError

/// A container's or image's health check (`Config.Healthcheck`, an image's `HEALTHCHECK`): the test and its
/// timings in nanoseconds, 0 or nil for the default.
public typealias HealthcheckConfig = SpliceImages.ContainerConfig.Healthcheck

extension HealthcheckConfig {
    /// dockerd's defaults: 30 s between checks (5 s while starting within the start period), 30 s for one, no
    /// start period, 3 retries.
    static let defaultInterval: Int64 = 30_000_000_000
    static let defaultStartInterval: Int64 = 5_000_000_000
    static let defaultTimeout: Int64 = 30_000_000_000
    static let defaultRetries = 3

    /// The request's check over the image's, as dockerd merges them: no request check takes the image's; else
    /// its empty test and its zero (or missing) timings take the image's.
    static func merged(request: HealthcheckConfig?, image: HealthcheckConfig?) -> HealthcheckConfig? {
        guard var merged = request else { return image }
        guard let image else { return merged }
        if merged.test.isEmpty { merged.test = image.test }
        if (merged.interval ?? 0) == 0 { merged.interval = image.interval }
        if (merged.timeout ?? 0) == 0 { merged.timeout = image.timeout }
        if (merged.startPeriod ?? 0) == 0 { merged.startPeriod = image.startPeriod }
        if (merged.startInterval ?? 0) == 0 { merged.startInterval = image.startInterval }
        if (merged.retries ?? 0) == 0 { merged.retries = image.retries }
        return merged
    }

    /// Rejects what dockerd rejects at create: a timing under 1 ms (0 is the default) and negative retries.
    func validate() throws(EngineError) {
        let millisecond: Int64 = 1_000_000
        for (name, value) in [("Interval", interval), ("Timeout", timeout), ("StartPeriod", startPeriod),
                              ("StartInterval", startInterval)] {
            if let value, value != 0, value < millisecond {
                throw EngineError(.invalidArgument, "\(name) in Healthcheck cannot be less than 1ms")
            }
        }
        if let retries, retries < 0 {
            throw EngineError(.invalidArgument, "Retries in Healthcheck cannot be negative")
        }
    }

    /// What a check runs: `CMD` its arguments, `CMD-SHELL` `/bin/sh -c` with the command; nil for `NONE`, an empty
    /// test or an unknown kind (then nothing is checked).
    var probeCommand: [String]? {
        guard let kind = test.first else { return nil }
        let rest = Array(test.dropFirst())
        switch kind {
        case "CMD": return rest.isEmpty ? nil : rest
        case "CMD-SHELL": return rest.isEmpty ? nil : ["/bin/sh", "-c", rest.joined(separator: " ")]
        default: return nil
        }
    }

    /// Nanoseconds between checks.
    var effectiveInterval: Int64 { (interval ?? 0) > 0 ? interval ?? 0 : Self.defaultInterval }
    /// Nanoseconds between checks while the container is `starting` within its start period.
    var effectiveStartInterval: Int64 { (startInterval ?? 0) > 0 ? startInterval ?? 0 : Self.defaultStartInterval }
    /// Nanoseconds one check may take.
    var effectiveTimeout: Int64 { (timeout ?? 0) > 0 ? timeout ?? 0 : Self.defaultTimeout }
    /// Nanoseconds after the start in which failures do not count.
    var effectiveStartPeriod: Int64 { max(startPeriod ?? 0, 0) }
    /// Counted failures in a row that make the container unhealthy.
    var effectiveRetries: Int { (retries ?? 0) > 0 ? retries ?? 0 : Self.defaultRetries }

    /// Go's `time.Duration.String()` of `nanoseconds` (`30s`, `200ms`, `1m30s`), for dockerd's timeout message.
    static func goDuration(_ nanoseconds: Int64) -> String {
        func decimal(_ value: Int64, unit: Int64) -> String {
            let whole = value / unit, fraction = value % unit
            guard fraction != 0 else { return "\(whole)" }
            var digits = String(fraction)
            digits = String(repeating: "0", count: String(unit).count - 1 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            return "\(whole).\(digits)"
        }
        let value = abs(nanoseconds), sign = nanoseconds < 0 ? "-" : ""
        switch value {
        case 0: return "0s"
        case ..<1_000: return sign + "\(value)ns"
        case ..<1_000_000: return sign + decimal(value, unit: 1_000) + "µs"
        case ..<1_000_000_000: return sign + decimal(value, unit: 1_000_000) + "ms"
        default:
            let hours = value / 3_600_000_000_000, minutes = value / 60_000_000_000 % 60
            let seconds = decimal(value % 60_000_000_000, unit: 1_000_000_000) + "s"
            if hours > 0 { return sign + "\(hours)h\(minutes)m" + seconds }
            if minutes > 0 { return sign + "\(minutes)m" + seconds }
            return sign + seconds
        }
    }
}
