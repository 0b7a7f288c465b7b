import NetlinkKit

/// An `--ipv6` network's IPv6 side: its subnet beside the IPv4 one and the gateway (the bridge's address on a
/// bridge network). Container addresses are the lowest free ones of the subnet, as Docker hands them out.
public struct IPv6NetworkOptions: Sendable, Equatable, Codable {
    /// The IPv6 subnet, e.g. `fd00:1::/64`.
    public var subnet: IPNetwork
    /// The gateway, by default the subnet's `::1`.
    public var gateway: IPv6Address
    /// `--aux-address` entries of the IPv6 subnet: never handed out.
    public var auxiliaryAddresses: [String: String]? = nil

    /// Creates options.
    public init(subnet: IPNetwork, gateway: IPv6Address, auxiliaryAddresses: [String: String]? = nil) {
        self.subnet = subnet
        self.gateway = gateway
        self.auxiliaryAddresses = auxiliaryAddresses
    }
}
