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
    public static func create(_ spec: LinkSpec) -> [UInt8] {
        let up = UInt32(CLS_IFF_UP)
        var writer = AttributeWriter(header: header(flags: spec.up ? up : 0, change: spec.up ? up : 0))
        if let parent = spec.parent { writer.append(nl(IFLA_LINK), parent.rawValue) }
        writer.append(nl(IFLA_IFNAME), string: spec.name)
        if let mtu = spec.mtu { writer.append(nl(IFLA_MTU), mtu) }
        if let address = spec.address { writer.append(nl(IFLA_ADDRESS), bytes: address.bytes) }
        if let master = spec.master { writer.append(nl(IFLA_MASTER), master.rawValue) }
        if let namespace = spec.namespace { writer.append(nl(IFLA_NET_NS_FD), UInt32(namespace.descriptor.rawValue)) }
        writer.nest(nl(IFLA_LINKINFO)) { info in
            info.append(nl(IFLA_INFO_KIND), string: spec.kind.kindName)
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
                    peerAttributes.append(nl(IFLA_IFNAME), string: peer.name)
                    if let mtu = peer.mtu { peerAttributes.append(nl(IFLA_MTU), mtu) }
                    if let address = peer.address { peerAttributes.append(nl(IFLA_ADDRESS), bytes: address.bytes) }
                    if let namespace = peer.namespace {
                        peerAttributes.append(nl(IFLA_NET_NS_FD), UInt32(namespace.descriptor.rawValue))
                    }
                }
            }
        case .macvlan(let mode):
            info.nest(nl(IFLA_INFO_DATA)) { data in data.append(nl(IFLA_MACVLAN_MODE), mode.rawValue) }
        case .vlan(let id):
            info.nest(nl(IFLA_INFO_DATA)) { data in data.append(nl(IFLA_VLAN_ID), id) }
        case .vxlan(let options):
            info.nest(nl(IFLA_INFO_DATA)) { data in
                data.append(nl(IFLA_VXLAN_ID), options.id)
                if let remote = options.remote ?? options.group {
                    data.append(nl(remote.family == .inet ? IFLA_VXLAN_GROUP : IFLA_VXLAN_GROUP6), bytes: remote.bytes)
                }
                if let local = options.local {
                    data.append(nl(local.family == .inet ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6), bytes: local.bytes)
                }
                if let parent { data.append(nl(IFLA_VXLAN_LINK), UInt32(parent.rawValue)) }
                if let ttl = options.ttl { data.append(nl(IFLA_VXLAN_TTL), ttl) }
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
        if let name = change.name { writer.append(nl(IFLA_IFNAME), string: name) }
        if let mtu = change.mtu { writer.append(nl(IFLA_MTU), mtu) }
        if let address = change.address { writer.append(nl(IFLA_ADDRESS), bytes: address.bytes) }
        if let master = change.master { writer.append(nl(IFLA_MASTER), master?.rawValue ?? 0) }
        if let namespace = change.namespace {
            writer.append(nl(IFLA_NET_NS_FD), UInt32(namespace.descriptor.rawValue))
        }
        if let alias = change.alias { writer.append(nl(IFLA_IFALIAS), string: alias) }
        return writer.bytes
    }

    /// The payload of `ip link del` for interface `index`.
    public static func delete(_ index: InterfaceIndex) -> [UInt8] {
        header(index: index.rawValue)
    }

    /// The payload of `ip link show NAME`.
    public static func get(named name: String) -> [UInt8] {
        var writer = AttributeWriter(header: header())
        writer.append(nl(IFLA_IFNAME), string: name)
        return writer.bytes
    }

    /// The payload of `ip link show` by index.
    public static func get(_ index: InterfaceIndex) -> [UInt8] {
        header(index: index.rawValue)
    }

    /// The payload of a full `ip link show` dump.
    public static func dump() -> [UInt8] {
        header()
    }
}
