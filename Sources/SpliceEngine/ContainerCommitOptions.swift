import SpliceImages

/// What `docker commit` asks for besides the container: a tag, the comment and author, `--change` instructions,
/// run defaults to override, and whether to pause the container meanwhile.
public struct ContainerCommitOptions: Sendable {
    /// The tag (`name[:tag]`), or nil for an untagged image.
    public var reference: String?
    /// `-m`.
    public var comment: String?
    /// `-a`.
    public var author: String?
    /// `-c` instructions, in `import --change` syntax.
    public var changes: [String]
    /// Run defaults from the request body; a field that is set replaces the container's.
    public var overrides: ContainerConfig?
    /// `-p` (default true): freeze a running container while its layer is read.
    public var pause: Bool

    /// Creates options.
    public init(reference: String? = nil, comment: String? = nil, author: String? = nil, changes: [String] = [],
                overrides: ContainerConfig? = nil, pause: Bool = true) {
        self.reference = reference
        self.comment = comment
        self.author = author
        self.changes = changes
        self.overrides = overrides
        self.pause = pause
    }
}
