/// One line of `docker rmi`'s answer: a tag removed or an image deleted.
public enum RemovalEvent: Hashable, Sendable, Codable {
    /// `{"Untagged":"bb:latest"}`.
    case untagged(String)
    /// `{"Deleted":"sha256:<hex>"}`.
    case deleted(String)

    enum CodingKeys: String, CodingKey {
        case untagged = "Untagged", deleted = "Deleted"
    }

    /// Decodes `{"Untagged":…}` or `{"Deleted":…}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let tag = try container.decodeIfPresent(String.self, forKey: .untagged) {
            self = .untagged(tag)
        } else {
            self = .deleted(try container.decode(String.self, forKey: .deleted))
        }
    }

    /// Encodes as dockerd does, one key per object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .untagged(let tag): try container.encode(tag, forKey: .untagged)
        case .deleted(let id): try container.encode(id, forKey: .deleted)
        }
    }
}
