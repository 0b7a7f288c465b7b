/// What the container's `/dev/shm` is (`--ipc`).
public enum SharedMemory: Codable, Sendable, Equatable {
    /// A tmpfs of its own (`--ipc private|shareable`, the default), sized by `ContainerSpec.shmSize`.
    case tmpfs
    /// Nothing mounted there (`--ipc none`).
    case none
    /// The host's `/dev/shm`, bound there (`--ipc host`).
    case host
    /// The `/dev/shm` of the mount namespace at this path (`/proc/<pid>/ns/mnt` of another container, `--ipc
    /// container:NAME`), copied from there and attached.
    case namespace(String)
}
