import NetlinkKit

/// What a bridge network is asked to be: the daemon's `-b`, `--bip`, `--fixed-cidr`, `--mtu`, `--icc`,
/// `--ip-masq`, `--ip-forward` and `--iptables` options, or `network create` for a user network.
public struct BridgeNetworkOptions: Sendable, Equatable, Codable {
    /// The network's name (`splice0` for the default network).
    public var name: String
    /// The bridge interface (`-b`/`--bridge`), at most 15 bytes.
    public var bridge: String
    /// `--bip`: the bridge's own address with the network's prefix, e.g. `172.18.0.1/16`; nil to allocate.
    public var bridgeAddress: IPNetwork?
    /// `--subnet`: the network, when `--bip` is not given.
    public var subnet: IPNetwork?
    /// `--fixed-cidr`/`--ip-range`: where container addresses are taken from, inside the subnet.
    public var ipRange: IPNetwork?
    /// `--mtu`.
    public var mtu: UInt32
    /// `--icc`: whether containers on this network may talk to each other.
    public var interContainer: Bool
    /// `--ip-masq`: masquerade the subnet out of other interfaces.
    public var ipMasquerade: Bool
    /// `--ip-forward`: turn on `net.ipv4.ip_forward`.
    public var ipForward: Bool
    /// `--iptables`: whether Splice manages firewall rules at all.
    public var firewall: Bool
    /// The default network's IPv6 side (`spliced --ipv6 --fixed-cidr-v6`); user networks keep theirs in metadata.
    public var ipv6: IPv6NetworkOptions? = nil
    /// The local side of a routed network: the network's whole subnet (this bridge's `subnet` is the host's part).
    public var routedSubnet: IPNetwork? = nil
    /// The bridge holds no address on the host: an overlay network whose subnet overlaps another local network or
    /// a route. The host never routes its subnet, so it may overlap; its containers get no default route from it
    /// and reach the outside (and publish ports) through `docker_gwbridge`, as dockerd's overlay containers do.
    public var detached: Bool? = nil

    /// Whether the bridge holds no address on the host (`detached`).
    public var isDetached: Bool { detached == true }

    /// The default network, as the daemon's defaults describe it.
    public static let defaultName = "splice0"

    public init(name: String = defaultName, bridge: String? = nil, bridgeAddress: IPNetwork? = nil,
                subnet: IPNetwork? = nil, ipRange: IPNetwork? = nil, mtu: UInt32 = 1500, interContainer: Bool = true,
                ipMasquerade: Bool = true, ipForward: Bool = true, firewall: Bool = true)
    {
        self.name = name
        self.bridge = bridge ?? name
        self.bridgeAddress = bridgeAddress
        self.subnet = subnet
        self.ipRange = ipRange
        self.mtu = mtu
        self.interContainer = interContainer
        self.ipMasquerade = ipMasquerade
        self.ipForward = ipForward
        self.firewall = firewall
    }
}
