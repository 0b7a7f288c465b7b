import NetlinkKit

/// One parsed `pipework` invocation.
public enum PipeworkCommand: Sendable, Equatable {
    /// `pipework [--direct-phys] HOSTIF [-i GUESTIF] [-l LOCALIF] [-a 4|6] GUEST ADDR [MAC][@VLAN]`.
    case attach(PipeworkAttachment)
    /// `pipework --wait [-i GUESTIF]`: wait inside a guest until the interface exists and has carrier.
    case wait(interface: String)
    /// `pipework --detach GUEST -i IF`: remove what an attach created.
    case detach(guest: GuestReference, interface: String)
    /// `pipework --list`: what Splice attached, from the kernel's marks.
    case list
    /// `--cleanup`: remove the half-made interfaces of attaches cut by a `kill -9`.
    case cleanup
    /// `pipework --batch FILE`: one attach per line, in one process (`-` reads standard input).
    case batch(path: String)
    /// `pipework route|rule|tc GUEST ARGS...`: run `ip route`, `ip rule` or `tc` inside the guest.
    case passthrough(tool: PassthroughTool, guest: GuestReference, arguments: [String])
    /// `pipework --help`.
    case help
}

/// What `pipework route|rule|tc` runs inside the guest.
public enum PassthroughTool: String, Sendable, Equatable {
    case route, rule, tc
}

/// Everything one attach needs, as the user gave it.
public struct PipeworkAttachment: Sendable, Equatable {
    /// The host side: an interface name, or a MAC address (`mac:HOSTMAC`) naming a host interface.
    public var host: HostInterfaceReference
    /// The interface name inside the guest (`-i`, default `eth1`).
    public var guestInterface: String
    /// The host-side veth name (`-l`), or nil to let Splice choose a `vsp…` name.
    public var localInterface: String?
    /// `-a 4|6`: the address family the user insists on, or nil to infer it from ADDR.
    public var family: AddressFamily?
    /// The guest: a container, namespace name, PID or path.
    public var guest: GuestReference
    /// How the guest interface gets its address.
    public var addressing: Addressing
    /// The guest interface's MAC address, or nil for the kernel's random one.
    public var mac: MACChoice?
    /// `@VLAN`: an 802.1Q tag (1…4094).
    public var vlan: UInt16?
    /// `--direct-phys`: move the host interface itself into the guest.
    public var directPhysical: Bool

    public init(host: HostInterfaceReference, guestInterface: String = "eth1", localInterface: String? = nil,
                family: AddressFamily? = nil, guest: GuestReference, addressing: Addressing, mac: MACChoice? = nil,
                vlan: UInt16? = nil, directPhysical: Bool = false)
    {
        self.host = host
        self.guestInterface = guestInterface
        self.localInterface = localInterface
        self.family = family
        self.guest = guest
        self.addressing = addressing
        self.mac = mac
        self.vlan = vlan
        self.directPhysical = directPhysical
    }
}

/// How `pipework` names the host side.
public enum HostInterfaceReference: Sendable, Equatable {
    case name(String)
    /// `mac:HOSTMAC`: the host interface with this hardware address.
    case mac(MACAddress)
}

/// How the user named the guest. Resolution to a namespace happens later (`GuestResolver`).
public enum GuestReference: Sendable, Hashable, CustomStringConvertible {
    /// A bare word: a Splice or Docker container name or id, or an `ip netns` name.
    case name(String)
    /// `pid:N` or a bare number.
    case pid(Int32)
    /// A path to a namespace file (`/proc/N/ns/net`, `/run/netns/NAME`, a bind mount).
    case path(String)

    public var description: String {
        switch self {
        case .name(let name): name
        case .pid(let pid): "pid:\(pid)"
        case .path(let path): path
        }
    }
}

/// The ADDR argument.
public enum Addressing: Sendable, Equatable {
    /// `A.B.C.D/len[@GW]` or `addr/len[@GW]` for IPv6.
    case `static`(IPNetwork, gateway: IPAddress?)
    /// `0/0`: the interface is created and connected, with no address.
    case none
    /// `dhcp`, `udhcpc`, `udhcpc-f`, `dhclient`, `dhcpcd`, each with optional `:OPTS`.
    case dhcp(DHCPRequest)
}

/// A DHCP ADDR form. Splice runs its own client inside the guest namespace for every spelling.
public struct DHCPRequest: Sendable, Equatable {
    /// The spelling the user gave (`dhcp`, `udhcpc`, `udhcpc-f`, `dhclient`, `dhcpcd`).
    public var client: String
    /// Keep running in the foreground and renew the lease (`udhcpc-f`, or `-f` in OPTS).
    public var foreground: Bool
    /// The `:OPTS` text, split on spaces.
    public var options: [String]

    public init(client: String, foreground: Bool = false, options: [String] = []) {
        self.client = client
        self.foreground = foreground
        self.options = options
    }
}

/// The optional MAC argument.
public enum MACChoice: Sendable, Equatable {
    case address(MACAddress)
    /// `U:string`: a stable address derived from the string as pipework derives it.
    case derived(String)
}
