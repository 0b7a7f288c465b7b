import SpliceNet
import SystemKit

/// The part of a routed network one host holds: containers there get addresses from it, and the other hosts route
/// it through the host's advertised address. Kept under the host's lease, so a dead host's subnet returns to the
/// pool.
public struct HostSubnet: Sendable, Equatable, Codable {
    /// The routed network's id.
    public var network: String
    public var subnet: IPNetwork
    /// The host holding it.
    public var host: String

    public init(network: String, subnet: IPNetwork, host: String) {
        self.network = network
        self.subnet = subnet
        self.host = host
    }

    /// The gateway of the host's part: its first address (held by the host's bridge).
    public var gateway: IPv4Address? { subnet.ipv4First.map { IPv4Address(value: $0 + 1) } }
}
