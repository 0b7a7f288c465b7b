/// `POST /volumes/prune` and `POST /containers/prune`: what was deleted and the bytes freed
/// (`vol-prune.txt`, `container-prune.txt`).
public struct PruneResponse: Codable, Sendable, Equatable {
    /// Volumes deleted (volume prune only; absent when none).
    public var VolumesDeleted: [String]?
    /// Containers deleted (container prune only; absent when none).
    public var ContainersDeleted: [String]?
    /// Bytes freed.
    public var SpaceReclaimed: UInt64

    /// Creates a prune answer.
    public init(VolumesDeleted: [String]? = nil, ContainersDeleted: [String]? = nil, SpaceReclaimed: UInt64 = 0) {
        self.VolumesDeleted = VolumesDeleted
        self.ContainersDeleted = ContainersDeleted
        self.SpaceReclaimed = SpaceReclaimed
    }
}
