/// What `docker import` adds to the tar: a tag, `--change` instructions and `--message`.
public struct ImportOptions: Sendable {
    /// The tag to give the image (`bb`, `bb:latest`), or nil for an untagged image.
    public var reference: String?
    /// `--change` instructions, such as `CMD ["/bin/sh"]`.
    public var changes: [String]
    /// `--message`, the image comment; dockerd uses `Imported from <source>` when it is empty.
    public var message: String?
    /// Where the tar came from, for the default comment (`-` for standard input, or a URL).
    public var source: String

    /// Creates import options.
    public init(reference: String? = nil, changes: [String] = [], message: String? = nil, source: String = "-") {
        self.reference = reference
        self.changes = changes
        self.message = message
        self.source = source
    }
}
