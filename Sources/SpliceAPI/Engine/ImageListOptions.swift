/// Query of `GET /images/json`.
public struct ImageListOptions: Sendable, Equatable {
    /// `all=1`: include intermediate images.
    public var all: Bool = false
    /// Decoded `filters` (dangling, reference).
    public var filters: [String: [String]] = [:]
    /// Creates default options.
    public init() {}
}
