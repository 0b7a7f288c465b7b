import CLinuxShims

/// A neighbour (ARP/NDP) entry or a bridge forwarding-database entry to add or delete.
public struct NeighbourSpec: Sendable, Equatable {
    /// `.inet`/`.inet6` for neighbours, `.bridge` for FDB entries.
    public var family: AddressFamily
    public var interface: InterfaceIndex
    /// The IP address (neighbours), or for a vxlan FDB entry the remote VTEP (`dst`).
    public var address: IPAddress?
    public var hardwareAddress: MACAddress?
    public var state: NeighbourState
    /// `NTF_SELF`: the entry belongs to the device itself (vxlan, bridge's own FDB) rather than its master.
    public var onSelf: Bool
    /// `NTF_MASTER`: the entry goes into the master bridge's FDB.
    public var onMaster: Bool

    public init(family: AddressFamily, interface: InterfaceIndex, address: IPAddress? = nil,
                hardwareAddress: MACAddress? = nil, state: NeighbourState = .permanent, onSelf: Bool = false,
                onMaster: Bool = false)
    {
        self.family = family
        self.interface = interface
        self.address = address
        self.hardwareAddress = hardwareAddress
        self.state = state
        self.onSelf = onSelf
        self.onMaster = onMaster
    }

    /// A bridge FDB entry, as `bridge fdb add MAC dev IF [dst IP] [self|master] [permanent|static]`.
    public static func fdb(_ mac: MACAddress, interface: InterfaceIndex, destination: IPAddress? = nil,
                           state: NeighbourState = .permanent, onSelf: Bool = false, onMaster: Bool = false)
        -> NeighbourSpec
    {
        NeighbourSpec(family: .bridge, interface: interface, address: destination, hardwareAddress: mac,
                      state: state, onSelf: onSelf, onMaster: onMaster)
    }
}

/// `ndm_state` values.
public struct NeighbourState: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let incomplete = NeighbourState(rawValue: UInt16(NUD_INCOMPLETE))
    public static let reachable = NeighbourState(rawValue: UInt16(NUD_REACHABLE))
    public static let stale = NeighbourState(rawValue: UInt16(NUD_STALE))
    public static let noARP = NeighbourState(rawValue: UInt16(NUD_NOARP))
    public static let permanent = NeighbourState(rawValue: UInt16(NUD_PERMANENT))
}

/// A neighbour or FDB entry as the kernel reports it.
public struct Neighbour: Sendable, Equatable {
    public var family: AddressFamily
    public var interface: InterfaceIndex
    public var address: IPAddress?
    public var hardwareAddress: MACAddress?
    public var state: NeighbourState
    public var flags: UInt8
    /// `NDA_MASTER`: the bridge an FDB entry belongs to.
    public var master: InterfaceIndex?

    /// Decodes an `RTM_NEWNEIGH` payload.
    public init(decoding payload: [UInt8]) throws(NetlinkError) {
        guard payload.count >= 12 else { throw .malformed(reason: "short ndmsg", offset: 0) }
        family = AddressFamily(rawValue: payload[0]) ?? .unspecified
        interface = InterfaceIndex(rawValue: payload.readLittleEndian(Int32.self, at: 4))
        state = NeighbourState(rawValue: payload.readLittleEndian(UInt16.self, at: 8))
        flags = payload[10]
        let attributes = try Attributes(payload, from: 12)
        address = attributes[nl(NDA_DST)].flatMap { IPAddress(bytes: Array($0)) }
        hardwareAddress = attributes[nl(NDA_LLADDR)].flatMap { MACAddress(bytes: Array($0)) }
        master = attributes.integer(nl(NDA_MASTER), as: Int32.self).map { InterfaceIndex(rawValue: $0) }
    }
}

/// Encoders for `RTM_*NEIGH` payloads.
public enum NeighbourMessages {
    static func header(family: AddressFamily, interface: InterfaceIndex?, state: NeighbourState = [], flags: UInt8 = 0)
        -> [UInt8]
    {
        var bytes: [UInt8] = [family.rawValue, 0, 0, 0]
        bytes.appendLittleEndian(interface?.rawValue ?? 0)
        bytes.appendLittleEndian(state.rawValue)
        bytes += [flags, 0]
        return bytes
    }

    /// The payload of `ip neigh add|replace|del` or `bridge fdb add|append|del` for `spec`.
    public static func neighbour(_ spec: NeighbourSpec) -> [UInt8] {
        var flags: UInt8 = 0
        if spec.onSelf { flags |= UInt8(NTF_SELF) }
        if spec.onMaster { flags |= UInt8(NTF_MASTER) }
        var writer = AttributeWriter(header: header(family: spec.family, interface: spec.interface, state: spec.state,
                                                    flags: flags))
        if spec.family == .bridge {
            if let mac = spec.hardwareAddress { writer.append(nl(NDA_LLADDR), bytes: mac.bytes) }
            if let destination = spec.address { writer.append(nl(NDA_DST), bytes: destination.bytes) }
        } else {
            if let address = spec.address { writer.append(nl(NDA_DST), bytes: address.bytes) }
            if let mac = spec.hardwareAddress { writer.append(nl(NDA_LLADDR), bytes: mac.bytes) }
        }
        return writer.bytes
    }

    /// The payload of an `ip neigh show` / `bridge fdb show` dump.
    public static func dump(family: AddressFamily) -> [UInt8] {
        header(family: family, interface: nil)
    }
}

extension NetlinkSocket {
    /// Adds an entry, failing if it exists. Equivalent to `ip neigh add` / `bridge fdb add`.
    public func addNeighbour(_ spec: NeighbourSpec) throws(NetlinkError) {
        try execute(MessageType.newNeighbour, flags: RequestFlags.create | RequestFlags.exclusive,
                    payload: NeighbourMessages.neighbour(spec), operation: "add \(Self.describe(spec))")
    }

    /// Adds an entry beside existing ones for the same MAC. Equivalent to `bridge fdb append` (vxlan flooding).
    public func appendNeighbour(_ spec: NeighbourSpec) throws(NetlinkError) {
        try execute(MessageType.newNeighbour, flags: RequestFlags.create | RequestFlags.append,
                    payload: NeighbourMessages.neighbour(spec), operation: "append \(Self.describe(spec))")
    }

    /// Adds or replaces an entry. Equivalent to `ip neigh replace` / `bridge fdb replace`.
    public func replaceNeighbour(_ spec: NeighbourSpec) throws(NetlinkError) {
        try execute(MessageType.newNeighbour, flags: RequestFlags.create | RequestFlags.replace,
                    payload: NeighbourMessages.neighbour(spec), operation: "replace \(Self.describe(spec))")
    }

    /// Deletes an entry. Equivalent to `ip neigh del` / `bridge fdb del`.
    public func deleteNeighbour(_ spec: NeighbourSpec) throws(NetlinkError) {
        try execute(MessageType.deleteNeighbour, payload: NeighbourMessages.neighbour(spec),
                    operation: "delete \(Self.describe(spec))")
    }

    /// Every entry of `family` (`.bridge` for the FDB). Equivalent to `ip neigh show` / `bridge fdb show`.
    public func neighbours(family: AddressFamily = .inet) throws(NetlinkError) -> [Neighbour] {
        var result: [Neighbour] = []
        for message in try dump(MessageType.getNeighbour, payload: NeighbourMessages.dump(family: family),
                                operation: family == .bridge ? "list FDB entries" : "list neighbours")
        where message.type == MessageType.newNeighbour {
            result.append(try Neighbour(decoding: message.payload))
        }
        return result
    }

    static func describe(_ spec: NeighbourSpec) -> String {
        let what = spec.family == .bridge ? "FDB entry" : "neighbour"
        let key = spec.family == .bridge ? spec.hardwareAddress?.description : spec.address?.description
        return "\(what) \(key ?? "?") on interface \(spec.interface)"
    }
}
