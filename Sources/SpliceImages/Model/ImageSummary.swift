/// One row of `GET /images/json` (`docker images`), with dockerd's field names.
public struct ImageSummary: Hashable, Sendable, Codable {
    /// The image id, `sha256:<hex>`.
    public var id: String
    /// The parent image id, or empty.
    public var parentID: String
    /// The tags; `["<none>:<none>"]` for a dangling image, as dockerd 20.10 sends.
    public var repoTags: [String]
    /// Registry digests; `["<none>@<none>"]` for a dangling image.
    public var repoDigests: [String]
    /// Creation time in Unix seconds.
    public var created: Int64
    /// The size of the image's layers in bytes.
    public var size: Int64
    /// Size plus parents (equal to `size` without parents).
    public var virtualSize: Int64
    /// Not computed: -1, as dockerd sends without `shared-size`.
    public var sharedSize: Int64
    /// The config labels, or nil.
    public var labels: [String: String]?
    /// Not computed: -1.
    public var containers: Int64

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case parentID = "ParentId"
        case repoTags = "RepoTags"
        case repoDigests = "RepoDigests"
        case created = "Created"
        case size = "Size"
        case virtualSize = "VirtualSize"
        case sharedSize = "SharedSize"
        case labels = "Labels"
        case containers = "Containers"
    }

    /// Encodes every field, `Labels` as null when absent, as dockerd does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(containers, forKey: .containers)
        try container.encode(created, forKey: .created)
        try container.encode(id, forKey: .id)
        try container.encode(labels, forKey: .labels)
        try container.encode(parentID, forKey: .parentID)
        try container.encode(repoDigests, forKey: .repoDigests)
        try container.encode(repoTags, forKey: .repoTags)
        try container.encode(sharedSize, forKey: .sharedSize)
        try container.encode(size, forKey: .size)
        try container.encode(virtualSize, forKey: .virtualSize)
    }

    /// The summary of an image, showing `tags` (all its tags, or those a filter matched).
    public init(_ image: Image, tags: [String]) {
        id = image.id.description
        parentID = ""
        repoTags = image.references.isEmpty ? ["<none>:<none>"] : tags
        repoDigests = !image.repoDigests.isEmpty ? image.repoDigests : image.references.isEmpty ? ["<none>@<none>"] : []
        created = image.created.seconds
        size = image.size
        virtualSize = image.size
        sharedSize = -1
        labels = image.configuration.config?.labels
        containers = -1
    }
}
