/// Query of `POST /commit` (no body).
public struct CommitOptions: Sendable, Equatable {
    /// Container name or ID.
    public var container: String = ""
    /// Normalized repository (`docker.io/library/x`), nil for an untagged image.
    public var repository: String?
    /// Tag.
    public var tag: String?
    /// `-a`.
    public var author: String?
    /// `-m`.
    public var comment: String?
    /// `-c` Dockerfile instructions.
    public var changes: [String] = []
    /// Pause the container while committing (default true).
    public var pause: Bool = true
    /// The request body: run defaults that replace the container's (docker-py's `conf`), nil when none was sent.
    public var config: ContainerConfig?
    /// Creates default options.
    public init() {}
}
