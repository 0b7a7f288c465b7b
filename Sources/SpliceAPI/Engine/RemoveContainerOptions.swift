/// Query of `DELETE /containers/{id}`.
public struct RemoveContainerOptions: Sendable, Equatable {
    /// `force=1`: kill a running container first.
    public var force: Bool = false
    /// `v=1`: delete anonymous volumes.
    public var volumes: Bool = false
    /// `link=1`: remove the link named by the path (`/a/web`) instead of a container.
    public var link: Bool = false
    /// Creates default options.
    public init() {}
}
