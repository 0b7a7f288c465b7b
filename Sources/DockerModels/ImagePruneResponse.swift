/// `POST /images/prune`: what was untagged and deleted and the bytes freed (`image-prune.txt`).
public struct ImagePruneResponse: Codable, Sendable, Equatable {
    /// The references untagged and images deleted; `null` when none, as dockerd sends it.
    public var ImagesDeleted: [ImageDeleteResponseItem]?
    /// Bytes freed.
    public var SpaceReclaimed: UInt64

    /// Creates a prune answer.
    public init(ImagesDeleted: [ImageDeleteResponseItem]? = nil, SpaceReclaimed: UInt64 = 0) {
        self.ImagesDeleted = ImagesDeleted
        self.SpaceReclaimed = SpaceReclaimed
    }

    private enum CodingKeys: String, CodingKey { case ImagesDeleted, SpaceReclaimed }

    /// Encodes an empty list as `null`, as dockerd does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ImagesDeleted, forKey: .ImagesDeleted)
        try container.encode(SpaceReclaimed, forKey: .SpaceReclaimed)
    }
}
