import SpliceNet
import SystemKit

/// A host taking part in the cluster, kept under its lease: it vanishes from the store when the lease expires.
public struct ClusterHost: Sendable, Equatable, Codable {
    /// The host's name in the cluster (its hostname unless configured otherwise).
    public var name: String
    /// The tunnel endpoint: the address other hosts send VXLAN packets to (`--cluster-advertise`).
    public var address: IPv4Address
    /// The MTU of the underlay interface carrying `address`.
    public var mtu: Int

    public init(name: String, address: IPv4Address, mtu: Int) {
        self.name = name
        self.address = address
        self.mtu = mtu
    }
}
