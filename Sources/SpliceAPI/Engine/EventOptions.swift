/// Query of `GET /events`.
public struct EventOptions: Sendable, Equatable {
    /// `since`, unix seconds with optional fraction.
    public var since: String?
    /// `until`; the stream ends after replaying up to it.
    public var until: String?
    /// Decoded `filters` (container, event, type, image, label).
    public var filters: [String: [String]] = [:]
    /// Creates default options.
    public init() {}
}
