import CLinuxShims
import SystemKit

/// Encoders for `RTM_*LINK` payloads, kept apart from the socket so golden tests can check their bytes.
public enum LinkMessages {
    /// `struct ifinfomsg`.
    static func header(family: UInt8 = 0, index: Int32 = 0, flags: UInt32 = 0, change: UInt32 = 0) -> [UInt8] {
        var bytes: [UInt8] = [family, 0, 0, 0]
        bytes.appendLittleEndian(index)
        bytes.appendLittleEndian(flags)
        bytes.appendLittleEndian(change)
        return bytes
    }

    /// The payload of `ip link add` for `spec`.
    ///
    /// Attributes follow iproute2's order, so golden tests compare bytes: the options ip adds while parsing its
    /// arguments (`mtu`, `address`, `master`, `netns`, in that argument order) come first, then `IFLA_LINK`,
    /// `IFLA_IFNAME` and `IFLA_LINKINFO`. `IFLA_INFO_KIND` carries no NUL, as ip sends it.
    public static func create(_ spec: LinkSpec) -> [UInt8] {
        let up = UInt32(CLS_IFF_UP)
        var writer = AttributeWriter(header: header(flags: spec.up ? up : 0, change: spec.up ? up : 0))
        if let mtu = spec.mtu { writer.append(nl(IFLA_MTU), mtu) }
        if let address = spec.address { writer.append(nl(IFLA_ADDRESS), bytes: address.bytes) }
        if let master = spec.master { writer.append(nl(IFLA_MASTER), master.rawValue) }
        if let namespace = spec.namespace { writer.append(nl(IFLA_NET_NS_FD), UInt32(namespace.descriptor.rawValue)) }
        // A vxlan names its underlay device with IFLA_VXLAN_LINK only (`ip link add ... type vxlan dev X`).
        if let parent = spec.parent, !spec.kind.isVXLAN { writer.append(nl(IFLA_LINK), parent.rawValue) }
        writer.append(nl(IFLA_IFNAME), string: spec.name)
        writer.nest(nl(IFLA_LINKINFO)) { info in
            info.append(nl(IFLA_INFO_KIND), bytes: Array(spec.kind.kindName.utf8))
            appendKindData(spec.kind, parent: spec.parent, to: &info)
        }
        return writer.bytes
    }

    private static func appendKindData(_ kind: LinkKind, parent: InterfaceIndex?, to info: inout AttributeWriter) {
        switch kind {
        case .bridge, .dummy:
            break
        case .veth(let peer):
            info.nest(nl(IFLA_INFO_DATA)) { data in
                data.nest(nl(VETH_INFO_PEER)) { peerAttributes in
                    peerAttributes.appendRaw(header())
                    if let mtu = peer.mtu { peerAttributes.append(nl(IFLA_MTU), mtu) }
                    if let address = peer.address { peerAttributes.append(nl(IFLA_ADDRESS), bytes: address.bytes) }
                    if let namespace = peer.namespace {
                        peerAttributes.append(nl(IFLA_NET_NS_FD), UInt32(namespace.descriptor.rawValue))
                    }
                    peerAttributes.append(nl(IFLA_IFNAME), string: peer.name)
                }
            }
        case .macvlan(let mode):
            info.nest(nl(IFLA_INFO_DATA)) { data in data.append(nl(IFLA_MACVLAN_MODE), mode.rawValue) }
        case .vlan(let id):
            info.nest(nl(IFLA_INFO_DATA)) { data in data.append(nl(IFLA_VLAN_ID), id) }
        case .vxlan(let options):
            // iproute2's order for `dev X ttl N proxy`: device, TTL and proxy as parsed, then id, local, remote/group,
            // learning and port.
            info.nest(nl(IFLA_INFO_DATA)) { data in
                if let parent { data.append(nl(IFLA_VXLAN_LINK), UInt32(parent.rawValue)) }
                if let ttl = options.ttl { data.append(nl(IFLA_VXLAN_TTL), ttl) }
                if options.proxy { data.append(nl(IFLA_VXLAN_PROXY), UInt8(1)) }
                data.append(nl(IFLA_VXLAN_ID), options.id)
                if let local = options.local {
                    data.append(nl(local.family == .inet ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6), bytes: local.bytes)
                }
                if let remote = options.remote ?? options.group {
                    data.append(nl(remote.family == .inet ? IFLA_VXLAN_GROUP : IFLA_VXLAN_GROUP6), bytes: remote.bytes)
                }
                data.append(nl(IFLA_VXLAN_LEARNING), UInt8(options.learning ? 1 : 0))
                data.append(nl(IFLA_VXLAN_PORT), bigEndian: options.port)
            }
        }
    }

    /// The payload of `ip link set` for `change` on interface `index`.
    public static func change(_ index: InterfaceIndex, _ change: LinkChange) -> [UInt8] {
        let up = UInt32(CLS_IFF_UP)
        var flags: UInt32 = 0
        var mask: UInt32 = 0
        if let isUp = change.up {
            flags = isUp ? up : 0
            mask = up
        }
        var writer = AttributeWriter(header: header(index: index.rawValue, flags: flags, change: mask))
        // iproute2's order: options as parsed (`mtu`, `address`, `master`, `netns`, `alias`), the new name last.
        if let mtu = change.mtu { writer.append(nl(IFLA_MTU), mtu) }
        if let address = change.address { writer.append(nl(IFLA_ADDRESS), bytes: address.bytes) }
        if let master = change.master { writer.append(nl(IFLA_MASTER), master?.rawValue ?? 0) }
        if let namespace = change.namespace {
            writer.append(nl(IFLA_NET_NS_FD), UInt32(namespace.descriptor.rawValue))
        }
        if let pid = change.namespacePID { writer.append(nl(IFLA_NET_NS_PID), UInt32(bitPattern: pid)) }
        // Without a NUL: the kernel stores the attribute's length as the alias length.
        if let alias = change.alias { writer.append(nl(IFLA_IFALIAS), bytes: Array(alias.utf8)) }
        if !change.ipv4.isEmpty {
            // IFLA_AF_SPEC { AF_INET { IFLA_INET_CONF { [IPV4_DEVCONF_*] u32 } } }, as the kernel's
            // inet_set_link_af reads it; iproute2 has no syntax for this.
            writer.nest(nl(IFLA_AF_SPEC)) { spec in
                spec.nest(UInt16(AddressFamily.inet.rawValue)) { inet in
                    inet.nest(nl(IFLA_INET_CONF)) { conf in
                        for setting in IPv4DeviceSetting.allCases {
                            if let value = change.ipv4[setting] { conf.append(setting.index, value) }
                        }
                    }
                }
            }
        }
        if let name = change.name { writer.append(nl(IFLA_IFNAME), string: name) }
        return writer.bytes
    }

    /// The payload of `ip link set dev NAME ...` addressed by name (index 0, `IFLA_IFNAME` selects the device).
    public static func change(named name: String, _ change: LinkChange) -> [UInt8] {
        var bytes = Self.change(InterfaceIndex(0), change)
        var writer = AttributeWriter()
        writer.append(nl(IFLA_IFNAME), string: name)
        bytes += writer.bytes
        return bytes
    }

    /// The payload of `ip link del dev NAME`, addressed by name.
    public static func delete(named name: String) -> [UInt8] {
        var writer = AttributeWriter(header: header())
        writer.append(nl(IFLA_IFNAME), string: name)
        return writer.bytes
    }

    /// The payload of `ip link del` for interface `index`.
    public static func delete(_ index: InterfaceIndex) -> [UInt8] {
        header(index: index.rawValue)
    }

    /// The payload of `ip link show NAME`. The family is `AF_PACKET`, as ip sends it; the kernel answers
    /// `RTM_GETLINK` for any family that has no handler of its own with the generic one.
    public static func get(named name: String) -> [UInt8] {
        var writer = AttributeWriter(header: header(family: UInt8(AF_PACKET)))
        writer.append(nl(IFLA_IFNAME), string: name)
        return writer.bytes
    }

    /// The payload of `ip link show` by index.
    public static func get(_ index: InterfaceIndex) -> [UInt8] {
        header(family: UInt8(AF_PACKET), index: index.rawValue)
    }

    /// The payload of a full `ip link show` dump.
    public static func dump() -> [UInt8] {
        header(family: UInt8(AF_PACKET))
    }
}
