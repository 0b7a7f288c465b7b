/// The network namespace a container joins; the engine prepares it before the container starts.
public enum ContainerNetwork: Codable, Sendable, Equatable {
    /// The host's namespace: no `setns`.
    case host
    /// A namespace pinned at `path` (a bind mount such as `/run/netns/<name>` or `/proc/<pid>/ns/net`).
    case namespace(path: String)
}
