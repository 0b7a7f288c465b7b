/// A container's or image's health check (`Config.Healthcheck`): the test and its timings in nanoseconds.
public struct HealthConfig: Codable, Sendable, Equatable {
    /// `["CMD", ...]`, `["CMD-SHELL", "..."]` or `["NONE"]`.
    public var Test: [String]?
    /// Nanoseconds between checks.
    public var Interval: Int64?
    /// Nanoseconds one check may take.
    public var Timeout: Int64?
    /// Nanoseconds of grace after the start.
    public var StartPeriod: Int64?
    /// Nanoseconds between checks while the container is starting within its start period (API 1.44).
    public var StartInterval: Int64?
    /// Failures before the container is unhealthy.
    public var Retries: Int?

    /// Creates an empty health check.
    public init() {}
}
