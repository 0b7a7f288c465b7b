/// One network a container is configured to join (its `NetworkMode` network, `EndpointsConfig` entries,
/// `network connect`), with the aliases and static address the client asked for. Kept beside the container's
/// record as `networks.json`, so it survives restarts of the container and of the daemon.
public struct NetworkAttachment: Codable, Sendable, Equatable {
    /// The network's driver name (`splice0` for Docker's `bridge`).
    public var network: String
    /// `--network-alias` / `Aliases`, as given.
    public var aliases: [String]
    /// `--ip` / `IPAMConfig.IPv4Address`.
    public var ipv4Address: String?
    /// `--ip6` / `IPAMConfig.IPv6Address` (an `--ipv6` network).
    public var ipv6Address: String? = nil

    /// Creates an attachment.
    public init(network: String, aliases: [String] = [], ipv4Address: String? = nil, ipv6Address: String? = nil) {
        self.network = network
        self.aliases = aliases
        self.ipv4Address = ipv4Address
        self.ipv6Address = ipv6Address
    }
}
