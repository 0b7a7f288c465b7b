/// One volume as the engine describes it: where it lives, what it was created with, and who uses it.
public struct VolumeInfo: Sendable, Equatable {
    /// The volume's name.
    public var name: String
    /// The host directory containers mount (`<graph>/volumes/<name>/_data`).
    public var mountpoint: String
    /// RFC 3339 creation time in seconds.
    public var createdAt: String
    /// Labels and driver options.
    public var metadata: VolumeMetadata
    /// IDs of the containers (in any state) whose mounts name the volume.
    public var users: [String]

    /// Creates a description.
    public init(name: String, mountpoint: String, createdAt: String, metadata: VolumeMetadata, users: [String]) {
        self.name = name
        self.mountpoint = mountpoint
        self.createdAt = createdAt
        self.metadata = metadata
        self.users = users
    }
}
