/// One row of `GET /images/{name}/history` (`docker history`), newest first, with dockerd's field names.
public struct ImageHistoryItem: Hashable, Sendable, Codable {
    /// The image id for the newest row, `<missing>` for steps with no local image of their own.
    public var id: String
    /// Creation time in Unix seconds.
    public var created: Int64
    /// The command that made the step.
    public var createdBy: String
    /// The tags, on the newest row only.
    public var tags: [String]?
    /// The uncompressed size of the step's layer, 0 for metadata-only steps.
    public var size: Int64
    /// The step's comment.
    public var comment: String

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case created = "Created"
        case createdBy = "CreatedBy"
        case tags = "Tags"
        case size = "Size"
        case comment = "Comment"
    }
}
