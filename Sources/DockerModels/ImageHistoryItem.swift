/// One entry of `GET /images/{name}/history`, newest first (`history.txt`).
public struct ImageHistoryItem: Codable, Sendable, Equatable {
    /// Image ID, or `<missing>` for layers without a local image.
    public var Id: String
    /// Creation time, unix seconds.
    public var Created: Int64
    /// The instruction that created the layer.
    public var CreatedBy: String
    /// Tags of that image, `null` when none.
    public var Tags: [String]?
    /// Layer size in bytes.
    public var Size: Int64
    /// Comment.
    public var Comment: String
    /// Creates a history entry.
    public init(Id: String, Created: Int64, CreatedBy: String, Tags: [String]? = nil, Size: Int64, Comment: String = "") {
        self.Id = Id
        self.Created = Created
        self.CreatedBy = CreatedBy
        self.Tags = Tags
        self.Size = Size
        self.Comment = Comment
    }
}
