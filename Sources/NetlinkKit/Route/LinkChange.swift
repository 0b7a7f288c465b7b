import CLinuxShims
import SystemKit

/// Changes to an existing interface (`ip link set`); nil fields stay as they are.
public struct LinkChange: Sendable {
    /// Set the administrative state: true for up, false for down.
    public var up: Bool?
    public var name: String?
    public var mtu: UInt32?
    public var address: MACAddress?
    /// Enslave to this master; `.some(nil)` releases it (`nomaster`).
    public var master: InterfaceIndex??
    /// Move into this namespace.
    public var namespace: NetworkNamespace?
    /// Move into the network namespace of this process (`ip link set <dev> netns <pid>`).
    public var namespacePID: Int32?
    public var alias: String?
    /// Per-interface IPv4 settings (`net.ipv4.conf.<if>.*`), set through `IFLA_AF_SPEC` in the same request.
    public var ipv4: [IPv4DeviceSetting: UInt32]

    public init(up: Bool? = nil, name: String? = nil, mtu: UInt32? = nil, address: MACAddress? = nil,
                master: InterfaceIndex?? = nil, namespace: NetworkNamespace? = nil, namespacePID: Int32? = nil,
                alias: String? = nil,
                ipv4: [IPv4DeviceSetting: UInt32] = [:])
    {
        self.ipv4 = ipv4
        self.up = up
        self.name = name
        self.mtu = mtu
        self.address = address
        self.master = master
        self.namespace = namespace
        self.namespacePID = namespacePID
        self.alias = alias
    }
}

/// The `net.ipv4.conf.<if>.*` settings NetlinkKit can change with a link request (`IPV4_DEVCONF_*`).
public enum IPv4DeviceSetting: Hashable, Sendable, CaseIterable {
    case forwarding, proxyARP, rpFilter, arpNotify, routeLocalnet

    /// The index in the `IFLA_INET_CONF` array.
    var index: UInt16 {
        switch self {
        case .forwarding: UInt16(IPV4_DEVCONF_FORWARDING)
        case .proxyARP: UInt16(IPV4_DEVCONF_PROXY_ARP)
        case .rpFilter: UInt16(IPV4_DEVCONF_RP_FILTER)
        case .arpNotify: UInt16(IPV4_DEVCONF_ARP_NOTIFY)
        case .routeLocalnet: UInt16(IPV4_DEVCONF_ROUTE_LOCALNET)
        }
    }
}
