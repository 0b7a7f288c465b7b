/// `POST /containers/prune`: what was deleted and the bytes freed (`container-prune.txt`).
public struct ContainerPruneResponse: Codable, Sendable, Equatable {
    /// The containers deleted; `null` when none, as dockerd sends it.
    public var ContainersDeleted: [String]?
    /// Bytes freed.
    public var SpaceReclaimed: UInt64

    /// Creates a prune answer.
    public init(ContainersDeleted: [String]? = nil, SpaceReclaimed: UInt64 = 0) {
        self.ContainersDeleted = ContainersDeleted
        self.SpaceReclaimed = SpaceReclaimed
    }

    private enum CodingKeys: String, CodingKey { case ContainersDeleted, SpaceReclaimed }

    /// Encodes an empty list as `null`, as dockerd does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ContainersDeleted, forKey: .ContainersDeleted)
        try container.encode(SpaceReclaimed, forKey: .SpaceReclaimed)
    }
}
