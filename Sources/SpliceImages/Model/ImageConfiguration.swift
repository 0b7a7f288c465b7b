/// An OCI image config blob (with Docker's extensions): run defaults, layer diff ids and history.
public struct ImageConfiguration: Hashable, Sendable, Codable {
    /// RFC 3339 creation time.
    public var created: String?
    /// The author.
    public var author: String?
    /// `amd64`.
    public var architecture: String
    /// `linux`.
    public var os: String
    /// Run defaults.
    public var config: ContainerConfig?
    /// The uncompressed layer digests.
    public var rootfs: RootFS
    /// One entry per layer or metadata step, oldest first.
    public var history: [History]?
    /// Docker's image comment (`Imported from -` or the `--message`).
    public var comment: String?

    /// The layer list of a config.
    public struct RootFS: Hashable, Sendable, Codable {
        /// Always `layers`.
        public var type: String
        /// The sha256 of each uncompressed layer tar, bottom first.
        public var diffIDs: [Digest]

        enum CodingKeys: String, CodingKey {
            case type
            case diffIDs = "diff_ids"
        }

        /// Creates a layer list.
        public init(diffIDs: [Digest]) {
            type = "layers"
            self.diffIDs = diffIDs
        }
    }

    /// One step in an image's history.
    public struct History: Hashable, Sendable, Codable {
        /// RFC 3339 time of the step.
        public var created: String?
        /// The command that made it.
        public var createdBy: String?
        /// The author.
        public var author: String?
        /// A comment, such as `--message`.
        public var comment: String?
        /// Whether the step added no layer.
        public var emptyLayer: Bool?

        enum CodingKeys: String, CodingKey {
            case created, author, comment
            case createdBy = "created_by"
            case emptyLayer = "empty_layer"
        }

        /// Creates a history entry.
        public init(created: String?, createdBy: String? = nil, comment: String? = nil, emptyLayer: Bool? = nil) {
            self.created = created
            self.createdBy = createdBy
            self.comment = comment
            self.emptyLayer = emptyLayer
        }
    }

    /// Creates a linux/amd64 config.
    public init(created: String?, config: ContainerConfig?, diffIDs: [Digest], history: [History], comment: String?) {
        self.created = created
        architecture = "amd64"
        os = "linux"
        self.config = config
        rootfs = RootFS(diffIDs: diffIDs)
        self.history = history
        self.comment = comment
    }
}
