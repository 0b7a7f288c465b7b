import SystemKit

/// What one host's tunnel must know of the others: where to flood, and where each remote endpoint lives.
public struct OverlayForwarding: Sendable, Equatable {
    /// A container on another host.
    public struct RemoteEndpoint: Sendable, Hashable {
        public var address: IPv4Address
        public var mac: MACAddress
        /// The tunnel endpoint of its host.
        public var host: IPv4Address

        public init(address: IPv4Address, mac: MACAddress, host: IPv4Address) {
            self.address = address
            self.mac = mac
            self.host = host
        }
    }

    /// The other hosts' tunnel endpoints (broadcast and unknown unicast go to each).
    public var peers: Set<IPv4Address>
    /// Every container of the network on another host.
    public var remotes: Set<RemoteEndpoint>

    public init(peers: Set<IPv4Address> = [], remotes: Set<RemoteEndpoint> = []) {
        self.peers = peers
        self.remotes = remotes
    }
}
