/// Query of `GET /containers/{id}/logs`.
public struct LogsOptions: Sendable, Equatable {
    /// Include stdout.
    public var stdout: Bool = false
    /// Include stderr.
    public var stderr: Bool = false
    /// `follow=1`: keep streaming until the container exits.
    public var follow: Bool = false
    /// Prefix lines with RFC 3339 nano timestamps.
    public var timestamps: Bool = false
    /// `tail=N`; nil means `all`.
    public var tail: Int?
    /// `since`, unix seconds with optional fraction.
    public var since: String?
    /// `until`, unix seconds with optional fraction.
    public var until: String?
    /// Creates default options.
    public init() {}
}
