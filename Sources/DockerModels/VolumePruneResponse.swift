/// `POST /volumes/prune`: what was deleted and the bytes freed (`vol-prune.txt`).
public struct VolumePruneResponse: Codable, Sendable, Equatable {
    /// The volumes deleted; `null` when none, as dockerd sends it.
    public var VolumesDeleted: [String]?
    /// Bytes freed.
    public var SpaceReclaimed: UInt64

    /// Creates a prune answer.
    public init(VolumesDeleted: [String]? = nil, SpaceReclaimed: UInt64 = 0) {
        self.VolumesDeleted = VolumesDeleted
        self.SpaceReclaimed = SpaceReclaimed
    }

    private enum CodingKeys: String, CodingKey { case VolumesDeleted, SpaceReclaimed }

    /// Encodes an empty list as `null`, as dockerd does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(VolumesDeleted, forKey: .VolumesDeleted)
        try container.encode(SpaceReclaimed, forKey: .SpaceReclaimed)
    }
}
