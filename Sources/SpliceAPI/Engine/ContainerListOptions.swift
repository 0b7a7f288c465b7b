/// Query of `GET /containers/json`.
public struct ContainerListOptions: Sendable, Equatable {
    /// `all=1`: include stopped containers.
    public var all: Bool = false
    /// `limit=N` (newest N, stopped included); nil or negative means no limit.
    public var limit: Int?
    /// `size=1`: fill `SizeRw` and `SizeRootFs`.
    public var size: Bool = false
    /// Decoded `filters` (name, status, ancestor, id, label, exited).
    public var filters: [String: [String]] = [:]
    /// Creates default options.
    public init() {}
}
