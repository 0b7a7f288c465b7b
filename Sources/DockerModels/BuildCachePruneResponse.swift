/// `POST /build/prune`: the build cache records deleted and the bytes freed.
public struct BuildCachePruneResponse: Codable, Sendable, Equatable {
    /// The ids of the deleted cache records; `null` when none, as dockerd sends it.
    public var CachesDeleted: [String]?
    /// Bytes freed.
    public var SpaceReclaimed: UInt64

    /// Creates a prune answer.
    public init(CachesDeleted: [String]? = nil, SpaceReclaimed: UInt64 = 0) {
        self.CachesDeleted = CachesDeleted
        self.SpaceReclaimed = SpaceReclaimed
    }

    private enum CodingKeys: String, CodingKey { case CachesDeleted, SpaceReclaimed }

    /// Encodes an empty list as `null`, as dockerd does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(CachesDeleted, forKey: .CachesDeleted)
        try container.encode(SpaceReclaimed, forKey: .SpaceReclaimed)
    }
}
