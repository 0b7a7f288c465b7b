/// One repository a search found.
public struct SearchResult: Hashable, Sendable, Decodable {
    /// The repository name (with the registry host for a private registry's catalog).
    public var name: String
    /// Its description.
    public var description: String
    /// Its stars.
    public var starCount: Int
    /// Whether it is an official image.
    public var isOfficial: Bool
    /// Whether it is an automated build.
    public var isAutomated: Bool

    enum CodingKeys: String, CodingKey {
        case name, description
        case starCount = "star_count"
        case isOfficial = "is_official"
        case isAutomated = "is_automated"
    }

    /// Creates a result.
    public init(name: String, description: String = "", starCount: Int = 0, isOfficial: Bool = false,
                isAutomated: Bool = false) {
        self.name = name
        self.description = description
        self.starCount = starCount
        self.isOfficial = isOfficial
        self.isAutomated = isAutomated
    }

    /// Decodes a v1 search entry, tolerating missing fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        starCount = try container.decodeIfPresent(Int.self, forKey: .starCount) ?? 0
        isOfficial = try container.decodeIfPresent(Bool.self, forKey: .isOfficial) ?? false
        isAutomated = try container.decodeIfPresent(Bool.self, forKey: .isAutomated) ?? false
    }
}
