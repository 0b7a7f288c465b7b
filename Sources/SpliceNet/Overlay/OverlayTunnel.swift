import NetlinkKit
import SystemKit

/// One overlay network's tunnel on one host: the VXLAN device enslaved to the network's bridge.
public struct OverlayTunnel: Sendable, Equatable {
    /// The VXLAN device (`vx-` + the network id's first 12 hex digits).
    public var device: String
    /// The network's local bridge.
    public var bridge: String
    /// The VXLAN network identifier.
    public var vni: UInt32
    /// This host's tunnel endpoint (the advertised address).
    public var local: IPv4Address
    /// The underlay interface the device is bound to; nil lets the kernel route the outer packets (peers behind
    /// a router).
    public var underlay: InterfaceIndex?
    /// The MTU of bridge, VXLAN device and container interfaces: the underlay's minus the 50 bytes of the
    /// outer Ethernet, IPv4, UDP and VXLAN headers.
    public var mtu: UInt32
    /// The UDP port (IANA's 4789).
    public var port: UInt16

    /// The VXLAN header overhead over IPv4: outer Ethernet (14), IPv4 (20), UDP (8), VXLAN (8).
    public static let overhead: UInt32 = 50

    public init(networkID: String, bridge: String, vni: UInt32, local: IPv4Address, underlay: InterfaceIndex?,
                underlayMTU: UInt32, port: UInt16 = 4789)
    {
        device = Self.deviceName(networkID: networkID)
        self.bridge = bridge
        self.vni = vni
        self.local = local
        self.underlay = underlay
        mtu = underlayMTU - Self.overhead
        self.port = port
    }

    /// `vx-<12 hex digits of the network id>`.
    public static func deviceName(networkID: String) -> String { "vx-" + String(networkID.prefix(12)) }

    /// The local bridge of an overlay network: `ov-<12 hex digits of the network id>`.
    public static func bridgeName(networkID: String) -> String { "ov-" + String(networkID.prefix(12)) }
}
