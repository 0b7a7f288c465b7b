/// `POST /networks/prune` answer: the removed networks' names, `null` when none.
public struct NetworkPruneResponse: Codable, Sendable, Equatable {
    /// Names of the removed networks.
    public var NetworksDeleted: [String]?

    /// Creates an answer.
    public init(NetworksDeleted: [String]?) { self.NetworksDeleted = NetworksDeleted }

    /// Encodes `null` explicitly, as dockerd does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(NetworksDeleted, forKey: .NetworksDeleted)
    }
}
