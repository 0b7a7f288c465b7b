/// One entry of the `DELETE /images/{name}` answer: `{"Untagged": ref}` or `{"Deleted": id}`.
public struct ImageDeleteResponseItem: Codable, Sendable, Equatable {
    /// Reference removed.
    public var Untagged: String?
    /// Image or layer ID deleted.
    public var Deleted: String?
    /// Creates an item.
    public init(Untagged: String? = nil, Deleted: String? = nil) {
        self.Untagged = Untagged
        self.Deleted = Deleted
    }
}
