/// A container's health as its health check found it (Docker's `State.Health`), kept with its state.
public struct ContainerHealth: Codable, Sendable, Equatable {
    /// `starting` until a check passes or the failures reach the retries, then `healthy` or `unhealthy`.
    public enum Status: String, Codable, Sendable {
        /// No verdict yet (after each start).
        case starting
        /// The last check passed.
        case healthy
        /// As many checks in a row as the retries failed (or the checks stopped).
        case unhealthy
    }

    /// One check: its wall-clock start and end (RFC 3339 nano), exit code and output (at most 4096 bytes).
    public struct Result: Codable, Sendable, Equatable {
        /// When the check started.
        public var start: String
        /// When it ended.
        public var end: String
        /// 0: healthy; anything else a failure (-1: it could not run or exceeded its timeout).
        public var exitCode: Int
        /// Its stdout and stderr, cut after 4096 bytes (then ending in `...`).
        public var output: String

        /// Creates a result.
        public init(start: String, end: String, exitCode: Int, output: String) {
            self.start = start
            self.end = end
            self.exitCode = exitCode
            self.output = output
        }
    }

    /// How many results `log` keeps (dockerd's `maxLogEntries`).
    public static let logLimit = 5

    /// The verdict.
    public var status: Status = .starting
    /// Failed checks in a row that counted (those within the start period do not).
    public var failingStreak: Int = 0
    /// The last results, oldest first.
    public var log: [Result] = []

    /// Creates the health of a container whose checks begin.
    public init() {}

    /// Adds `result` to the log, keeping the last `logLimit`.
    mutating func append(_ result: Result) {
        log = Array((log + [result]).suffix(Self.logLimit))
    }

    /// How `docker ps` shows it after `Up …`: `health: starting`, `healthy`, `unhealthy`.
    public var summary: String { status == .starting ? "health: starting" : status.rawValue }
}
