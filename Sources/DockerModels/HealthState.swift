/// A container's `State.Health`: the health check's verdict, failing streak and last results.
public struct HealthState: Codable, Sendable, Equatable {
    /// One check (`HealthcheckResult`).
    public struct Result: Codable, Sendable, Equatable {
        /// RFC 3339 nano start.
        public var Start: String
        /// RFC 3339 nano end.
        public var End: String
        /// 0 healthy, else a failure (-1: it could not run or timed out).
        public var ExitCode: Int
        /// Its output, at most 4096 bytes.
        public var Output: String

        /// Creates a result.
        public init(Start: String, End: String, ExitCode: Int, Output: String) {
            self.Start = Start
            self.End = End
            self.ExitCode = ExitCode
            self.Output = Output
        }
    }

    /// `starting`, `healthy` or `unhealthy`.
    public var Status: String
    /// Consecutive failures that counted.
    public var FailingStreak: Int
    /// The last results, oldest first.
    public var Log: [Result]

    /// Creates a health state.
    public init(Status: String, FailingStreak: Int, Log: [Result]) {
        self.Status = Status
        self.FailingStreak = FailingStreak
        self.Log = Log
    }
}
