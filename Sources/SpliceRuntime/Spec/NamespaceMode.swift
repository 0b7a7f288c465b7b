/// Which namespace of a kind a container's pid 1 gets (`--pid`, `--uts`).
public enum NamespaceMode: Codable, Sendable, Equatable {
    /// A new namespace of its own (Docker's default).
    case `private`
    /// The host's (`--pid=host`, `--uts=host`).
    case host
    /// The namespace at this path (`/proc/<pid>/ns/pid` of another container, `--pid=container:NAME`).
    case path(String)
}
