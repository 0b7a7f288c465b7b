import SpliceNet
import SystemKit

/// A global-scope network (driver `overlay` or `routed`), the same on every host.
public struct ClusterNetwork: Sendable, Equatable, Codable {
    /// 64 hex digits, as Docker's network ids.
    public var id: String
    public var name: String
    /// `overlay` or `routed`.
    public var driver: String
    public var subnet: IPNetwork
    /// `--ip-range`: where dynamic addresses come from; nil means the whole subnet.
    public var ipRange: IPNetwork?
    /// The gateway address (held by each host's bridge for the network).
    public var gateway: IPv4Address
    /// The VXLAN network identifier, unique in the cluster.
    public var vni: UInt32
    /// Create request and identity, as for local networks (`--internal`, `--attachable`, labels, options).
    public var metadata: NetworkMetadata
    /// The host that created the network.
    public var createdBy: String

    public init(id: String, name: String, driver: String, subnet: IPNetwork, ipRange: IPNetwork? = nil,
                gateway: IPv4Address, vni: UInt32, metadata: NetworkMetadata, createdBy: String)
    {
        self.id = id
        self.name = name
        self.driver = driver
        self.subnet = subnet
        self.ipRange = ipRange
        self.gateway = gateway
        self.vni = vni
        self.metadata = metadata
        self.createdBy = createdBy
    }
}
