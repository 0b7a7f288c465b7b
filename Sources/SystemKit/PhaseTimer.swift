/// The durations of the consecutive phases of one operation (a container's create or start, a client's `run`),
/// for one debug log line. A mark reads the monotonic clock once (`clock_gettime` through the vDSO), so the timer
/// runs on every start whatever the log level; only the summary is built on demand.
public struct PhaseTimer: Sendable {
    /// How long the API route took to read and decode the request body, set around the engine call it makes, so
    /// the engine's line can show it.
    @TaskLocal public static var requestDecode: Duration?

    private let started: ContinuousClock.Instant
    private var last: ContinuousClock.Instant
    /// Each phase's name and duration, in order.
    public private(set) var phases: [(name: String, duration: Duration)] = []

    /// Starts the first phase now.
    public init() {
        started = .now
        last = started
    }

    /// Ends the current phase as `name` and starts the next.
    public mutating func mark(_ name: String) {
        let now = ContinuousClock.now
        phases.append((name, now - last))
        last = now
    }

    /// Records a phase measured elsewhere (it does not move the current phase's start).
    public mutating func add(_ name: String, _ duration: Duration) {
        phases.append((name, duration))
    }

    /// The time since `init`.
    public var total: Duration { .now - started }

    /// `name=1.23ms` for each phase, then `total=…`.
    public var summary: String {
        (phases.map { "\($0.name)=\(Self.milliseconds($0.duration))" } + ["total=\(Self.milliseconds(total))"])
            .joined(separator: " ")
    }

    /// `duration` in milliseconds with two decimals (`12.34ms`), without Foundation's formatting.
    public static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let hundredths = seconds * 100_000 + (attoseconds + 5_000_000_000_000) / 10_000_000_000_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)ms"
    }
}
