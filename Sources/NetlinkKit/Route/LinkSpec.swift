import SystemKit

/// What to ask the kernel for when creating an interface: common attributes plus its kind.
public struct LinkSpec: Sendable {
    /// The interface name (at most 15 bytes).
    public var name: String
    /// The kind and its kind-specific settings.
    public var kind: LinkKind
    /// The MTU, or nil for the kernel's default.
    public var mtu: UInt32?
    /// The hardware address, or nil for a random one.
    public var address: MACAddress?
    /// The bridge (or other master) to enslave the new interface to.
    public var master: InterfaceIndex?
    /// The parent interface (`link` in iproute2) for macvlan, vlan and vxlan.
    public var parent: InterfaceIndex?
    /// Create the interface directly in this namespace instead of the socket's.
    public var namespace: NetworkNamespace?
    /// Bring the interface up as it is created.
    public var up: Bool
    /// A free-text alias (`ip link set ... alias`), which Splice uses to mark what it owns. The kernel ignores
    /// an alias in the create request, so `addLink` sets it with a second one (only for links created in the
    /// socket's own namespace).
    public var alias: String?

    public init(name: String, kind: LinkKind, mtu: UInt32? = nil, address: MACAddress? = nil,
                master: InterfaceIndex? = nil, parent: InterfaceIndex? = nil,
                namespace: NetworkNamespace? = nil, up: Bool = false, alias: String? = nil)
    {
        self.name = name
        self.kind = kind
        self.mtu = mtu
        self.address = address
        self.master = master
        self.parent = parent
        self.namespace = namespace
        self.up = up
        self.alias = alias
    }
}

/// The kinds of interface NetlinkKit creates.
public enum LinkKind: Sendable {
    case bridge
    case veth(peer: VethPeer)
    case macvlan(mode: MacvlanMode)
    case vlan(id: UInt16)
    case vxlan(VXLANOptions)
    case dummy

    /// Whether this is a vxlan, whose parent travels as `IFLA_VXLAN_LINK` rather than `IFLA_LINK`.
    var isVXLAN: Bool { if case .vxlan = self { true } else { false } }

    /// The `IFLA_INFO_KIND` string.
    public var kindName: String {
        switch self {
        case .bridge: "bridge"
        case .veth: "veth"
        case .macvlan: "macvlan"
        case .vlan: "vlan"
        case .vxlan: "vxlan"
        case .dummy: "dummy"
        }
    }
}

/// The other end of a veth pair, which may be created directly in another namespace. It is created down:
/// Linux refuses `IFF_UP` on the peer while the pair is being made (ENOTCONN), so bring it up afterwards
/// through a socket in its namespace.
public struct VethPeer: Sendable {
    public var name: String
    public var namespace: NetworkNamespace?
    public var mtu: UInt32?
    public var address: MACAddress?

    public init(name: String, namespace: NetworkNamespace? = nil, mtu: UInt32? = nil, address: MACAddress? = nil) {
        self.name = name
        self.namespace = namespace
        self.mtu = mtu
        self.address = address
    }
}

/// How a macvlan child forwards between its siblings (`IFLA_MACVLAN_MODE`).
public enum MacvlanMode: UInt32, Sendable, CaseIterable {
    case `private` = 1
    case vepa = 2
    case bridge = 4
    case passthru = 8

    /// Parses `private`, `vepa`, `bridge` or `passthru`.
    public init?(name: String) {
        switch name {
        case "private": self = .private
        case "vepa": self = .vepa
        case "bridge": self = .bridge
        case "passthru": self = .passthru
        default: return nil
        }
    }
}

/// VXLAN settings (`IFLA_VXLAN_*`).
public struct VXLANOptions: Sendable {
    public var id: UInt32
    public var local: IPAddress?
    public var remote: IPAddress?
    public var group: IPAddress?
    public var port: UInt16
    public var learning: Bool
    public var ttl: UInt8?
    /// ARP reduction (`proxy`): the device answers ARP requests from its neighbour table and never floods them.
    public var proxy: Bool

    public init(id: UInt32, local: IPAddress? = nil, remote: IPAddress? = nil, group: IPAddress? = nil,
                port: UInt16 = 4789, learning: Bool = true, ttl: UInt8? = nil, proxy: Bool = false)
    {
        self.proxy = proxy
        self.id = id
        self.local = local
        self.remote = remote
        self.group = group
        self.port = port
        self.learning = learning
        self.ttl = ttl
    }
}
