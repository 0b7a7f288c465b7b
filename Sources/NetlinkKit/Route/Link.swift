import CLinuxShims

/// An interface as the kernel reports it (`RTM_NEWLINK`).
public struct Link: Sendable, Equatable {
    public var index: InterfaceIndex
    public var name: String
    /// `IFLA_INFO_KIND`, such as `bridge` or `veth`; nil for physical and loopback devices.
    public var kind: String?
    /// `ifi_flags` (`IFF_UP`, `IFF_LOWER_UP`, …).
    public var flags: UInt32
    public var mtu: UInt32?
    public var address: MACAddress?
    public var master: InterfaceIndex?
    /// `IFLA_LINK`: the parent (macvlan, vlan) or the veth peer's index (in `linkNetnsID`'s namespace).
    public var parent: InterfaceIndex?
    /// `IFLA_LINK_NETNSID`: the namespace id of `parent` when it lives in another namespace.
    public var linkNetnsID: Int32?
    public var alias: String?
    /// `IFLA_PROP_LIST`/`IFLA_ALT_IFNAME`: alternative names.
    public var alternativeNames: [String]
    /// `IFLA_OPERSTATE`.
    public var operationalState: UInt8?
    /// `IFLA_INFO_DATA` attributes, kind-specific (macvlan mode, vlan id, vxlan id…).
    public var kindData: [UInt16: [UInt8]]

    /// Whether the interface is administratively up.
    public var isUp: Bool { flags & UInt32(CLS_IFF_UP) != 0 }
    /// Whether the interface has carrier (`IFF_LOWER_UP`).
    public var hasCarrier: Bool { flags & UInt32(CLS_IFF_LOWER_UP) != 0 }

    /// Decodes an `RTM_NEWLINK` payload.
    public init(decoding payload: [UInt8]) throws(NetlinkError) {
        guard payload.count >= 16 else { throw .malformed(reason: "short ifinfomsg", offset: 0) }
        index = InterfaceIndex(payload.readLittleEndian(Int32.self, at: 4))
        flags = payload.readLittleEndian(UInt32.self, at: 8)
        let attributes = try Attributes(payload, from: 16)
        name = attributes.string(UInt16(IFLA_IFNAME)) ?? ""
        mtu = attributes.integer(UInt16(IFLA_MTU))
        address = attributes[UInt16(IFLA_ADDRESS)].flatMap { MACAddress(bytes: Array($0)) }
        master = attributes.integer(UInt16(IFLA_MASTER), as: Int32.self).map { InterfaceIndex(rawValue: $0) }
        parent = attributes.integer(UInt16(IFLA_LINK), as: Int32.self).map { InterfaceIndex(rawValue: $0) }
        linkNetnsID = attributes.integer(UInt16(IFLA_LINK_NETNSID))
        alias = attributes.string(UInt16(IFLA_IFALIAS))
        alternativeNames = try attributes.nested(UInt16(IFLA_PROP_LIST))?.all(UInt16(IFLA_ALT_IFNAME)).map { value in
            String(decoding: value.prefix { $0 != 0 }, as: UTF8.self)
        } ?? []
        operationalState = attributes.integer(UInt16(IFLA_OPERSTATE))
        kindData = [:]
        if let info = try attributes.nested(UInt16(IFLA_LINKINFO)) {
            kind = info.string(UInt16(IFLA_INFO_KIND))
            if let data = try info.nested(UInt16(IFLA_INFO_DATA)) {
                for type in data.types { kindData[type] = data[type].map(Array.init) }
            }
        } else {
            kind = nil
        }
    }
}
