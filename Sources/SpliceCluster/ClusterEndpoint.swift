import SpliceNet
import SystemKit

/// A container's attachment to a global network, published by the host it runs on under that host's lease.
public struct ClusterEndpoint: Sendable, Equatable, Codable {
    /// The network's id.
    public var network: String
    /// The endpoint's id (64 hex digits).
    public var id: String
    /// The container's full id.
    public var container: String
    /// The names the container answers to on this network: its name, short id and `--network-alias`es.
    public var names: [String]
    public var address: IPv4Address
    public var mac: MACAddress
    /// The host the container runs on (its `ClusterHost.name`).
    public var host: String

    public init(network: String, id: String, container: String, names: [String], address: IPv4Address,
                mac: MACAddress, host: String)
    {
        self.network = network
        self.id = id
        self.container = container
        self.names = names
        self.address = address
        self.mac = mac
        self.host = host
    }
}
