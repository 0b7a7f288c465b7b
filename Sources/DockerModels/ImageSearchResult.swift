/// One entry of `GET /images/search` (lower-case keys on the wire).
public struct ImageSearchResult: Codable, Sendable, Equatable {
    /// Repository name.
    public var name: String
    /// Description.
    public var description: String
    /// Stars.
    public var star_count: Int
    /// Official image.
    public var is_official: Bool
    /// Automated build.
    public var is_automated: Bool
    /// Creates a search result.
    public init(name: String, description: String = "", star_count: Int = 0, is_official: Bool = false,
                is_automated: Bool = false) {
        self.name = name
        self.description = description
        self.star_count = star_count
        self.is_official = is_official
        self.is_automated = is_automated
    }
}
