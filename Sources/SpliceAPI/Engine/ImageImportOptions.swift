/// Query of `POST /images/create?fromSrc=-` (import).
public struct ImageImportOptions: Sendable, Equatable {
    /// `repo`, possibly `name:tag` (split by the engine when `tag` is nil).
    public var repository: String?
    /// `tag`.
    public var tag: String?
    /// `message`.
    public var message: String?
    /// `changes`: Dockerfile instructions, one per `-c`.
    public var changes: [String] = []
    /// `fromSrc`: `-` for the request body, else the URL to fetch the tar from.
    public var source: String = "-"
    /// Creates default options.
    public init() {}
}
