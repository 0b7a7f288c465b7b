/// What `docker logs` asks for: streams, time window, tail, follow.
public struct LogQuery: Sendable, Equatable {
    /// Include stdout records.
    public var stdout: Bool = true
    /// Include stderr records.
    public var stderr: Bool = true
    /// Keep streaming new records until the container stops.
    public var follow: Bool = false
    /// Only the last N of the existing records; nil for all.
    public var tail: Int?
    /// Only records at or after this Unix time in nanoseconds.
    public var since: Int64?
    /// Only records at or before this Unix time in nanoseconds.
    public var until: Int64?

    /// Creates a query for everything.
    public init() {}

    /// Whether `entry` passes the stream and time filters.
    public func accepts(_ entry: LogEntry) -> Bool {
        guard (entry.stream == "stderr" && stderr) || (entry.stream != "stderr" && stdout) else { return false }
        if since != nil || until != nil {
            guard let time = APITime.nanoseconds(entry.time) else { return true }
            if let since, time < since { return false }
            if let until, time > until { return false }
        }
        return true
    }

    /// `records` filtered, then cut to the last `tail`.
    public func select(_ records: [LogEntry]) -> [LogEntry] {
        let kept = records.filter(accepts)
        guard let tail, tail >= 0 else { return kept }
        return Array(kept.suffix(tail))
    }
}
