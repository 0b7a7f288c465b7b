import SystemKit

/// The firewall side of one Splice bridge network: its bridge, subnet, `--ip-masq` and `--icc` options.
public struct NetworkRules: Sendable, Equatable {
    /// The network's name, such as `bridge` or `backend` (for messages and validation only).
    public var name: String
    /// The bridge interface, such as `splice0`.
    public var bridge: String
    /// The network's IPv4 subnet, such as `172.18.0.0/16` (no host bits set).
    public var subnet: IPNetwork
    /// Whether traffic from the subnet leaving through other interfaces is masqueraded (`--ip-masq`).
    public var masquerade: Bool
    /// Whether sandboxes on this bridge may talk to each other (`--icc`).
    public var interContainer: Bool
    /// The bridge's ports (host-side veth names). Used only when `interContainer` is false: their traffic is also
    /// dropped at layer 2, which holds even when `br_netfilter` is not active. Maintain incrementally with
    /// `Firewall.addPorts(_:to:)` and `Firewall.removePorts(_:from:)`.
    public var ports: [String]
    /// `network create --internal`: nothing is forwarded between the bridge and any other interface.
    public var `internal`: Bool
    /// An `--ipv6` network's IPv6 subnet, masqueraded (with `masquerade`) as dockerd does with ip6tables on.
    public var subnet6: IPNetwork? = nil
    /// The whole subnet of the routed network this bridge holds a part of (`subnet`): traffic from it (other hosts'
    /// containers, routed in through the underlay) is forwarded into the bridge, and traffic to it keeps its
    /// source address (no masquerade).
    public var routedSubnet: IPNetwork? = nil
    /// The bridge holds no address on the host (an overlay network whose subnet overlaps another local one): the
    /// host never routes its subnet, so that subnet may overlap the others', and nothing is masqueraded from it.
    public var detached: Bool = false

    /// Creates the rules for one network.
    public init(
        name: String, bridge: String, subnet: IPNetwork, masquerade: Bool = true, interContainer: Bool = true,
        ports: [String] = [], internal: Bool = false
    ) {
        self.internal = `internal`
        self.name = name
        self.bridge = bridge
        self.subnet = subnet
        self.masquerade = masquerade
        self.interContainer = interContainer
        self.ports = ports
    }
}
