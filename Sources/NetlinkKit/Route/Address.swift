import CLinuxShims

/// An interface address as the kernel reports it (`RTM_NEWADDR`).
public struct Address: Sendable, Equatable {
    public var interface: InterfaceIndex
    public var network: IPNetwork
    /// `IFA_BROADCAST`, for IPv4.
    public var broadcast: IPv4Address?
    /// `IFA_LABEL`.
    public var label: String?
    /// `ifa_scope` (0 global, 253 link, 254 host).
    public var scope: UInt8
    /// `ifa_flags` widened by `IFA_FLAGS`.
    public var flags: UInt32

    /// Decodes an `RTM_NEWADDR` payload.
    public init(decoding payload: [UInt8]) throws(NetlinkError) {
        guard payload.count >= 8 else { throw .malformed(reason: "short ifaddrmsg", offset: 0) }
        let prefix = Int(payload[1])
        scope = payload[3]
        interface = InterfaceIndex(rawValue: payload.readLittleEndian(Int32.self, at: 4))
        let attributes = try Attributes(payload, from: 8)
        // IFA_LOCAL is the address itself on point-to-point links; IFA_ADDRESS elsewhere.
        guard let raw = attributes[nl(IFA_LOCAL)] ?? attributes[nl(IFA_ADDRESS)],
              let address = IPAddress(bytes: Array(raw)),
              let network = IPNetwork(address: address, prefixLength: prefix)
        else { throw .malformed(reason: "address without IFA_ADDRESS", offset: 8) }
        self.network = network
        broadcast = attributes[nl(IFA_BROADCAST)].flatMap { $0.count == 4 ? IPv4Address(bytes: Array($0)) : nil }
        label = attributes.string(nl(IFA_LABEL))
        flags = attributes.integer(nl(IFA_FLAGS)) ?? UInt32(payload[2])
    }
}

/// Encoders for `RTM_*ADDR` payloads.
public enum AddressMessages {
    static func header(family: AddressFamily, prefix: UInt8 = 0, flags: UInt8 = 0, scope: UInt8 = 0,
                       index: InterfaceIndex?) -> [UInt8] {
        var bytes: [UInt8] = [family.rawValue, prefix, flags, scope]
        bytes.appendLittleEndian(index?.rawValue ?? 0)
        return bytes
    }

    /// The payload of `ip addr add NETWORK [broadcast +] dev IF`: IPv4 addresses get their broadcast address.
    /// With `skipDuplicateDetection`, an IPv6 address is usable at once (`nodad`, `IFA_F_NODAD`), as Docker adds
    /// container addresses.
    public static func add(_ network: IPNetwork, to interface: InterfaceIndex, broadcast: Bool = true,
                           skipDuplicateDetection: Bool = false) -> [UInt8] {
        let flags = skipDuplicateDetection ? UInt8(IFA_F_NODAD) : 0
        var writer = AttributeWriter(header: header(family: network.address.family, prefix: network.prefixLength,
                                                    flags: flags, index: interface))
        writer.append(nl(IFA_LOCAL), bytes: network.address.bytes)
        writer.append(nl(IFA_ADDRESS), bytes: network.address.bytes)
        if broadcast, let address = network.broadcast { writer.append(nl(IFA_BROADCAST), bytes: address.bytes) }
        return writer.bytes
    }

    /// The payload of `ip addr del NETWORK dev IF`: `IFA_LOCAL` and `IFA_ADDRESS`, as ip sends them.
    public static func delete(_ network: IPNetwork, from interface: InterfaceIndex) -> [UInt8] {
        var writer = AttributeWriter(header: header(family: network.address.family, prefix: network.prefixLength,
                                                    index: interface))
        writer.append(nl(IFA_LOCAL), bytes: network.address.bytes)
        writer.append(nl(IFA_ADDRESS), bytes: network.address.bytes)
        return writer.bytes
    }

    /// The payload of an `ip addr show` dump.
    public static func dump(family: AddressFamily = .unspecified) -> [UInt8] {
        header(family: family, index: nil)
    }
}

extension NetlinkSocket {
    /// Adds an address. Equivalent to `ip addr add <network> dev <if>` (with `broadcast +` for IPv4).
    /// `skipDuplicateDetection` makes an IPv6 address usable at once (`nodad`).
    public func addAddress(_ network: IPNetwork, to interface: InterfaceIndex, name: String? = nil,
                           skipDuplicateDetection: Bool = false) throws(NetlinkError) {
        let target = name.map { "\"\($0)\"" } ?? "interface \(interface)"
        do {
            try execute(MessageType.newAddress, flags: RequestFlags.create | RequestFlags.exclusive,
                        payload: AddressMessages.add(network, to: interface,
                                                     skipDuplicateDetection: skipDuplicateDetection),
                        operation: "add \(network) to \(target)")
        } catch let error where error.errno == .exists {
            throw .kernel(errno: .exists, operation: "add \(network) to \(target)",
                          message: "the interface already has that address")
        }
    }

    /// Removes an address. Equivalent to `ip addr del <network> dev <if>`.
    public func deleteAddress(_ network: IPNetwork, from interface: InterfaceIndex) throws(NetlinkError) {
        try execute(MessageType.deleteAddress, payload: AddressMessages.delete(network, from: interface),
                    operation: "delete \(network) from interface \(interface)")
    }

    /// Every address, optionally of one family. Equivalent to `ip addr show`.
    public func addresses(family: AddressFamily = .unspecified) throws(NetlinkError) -> [Address] {
        var result: [Address] = []
        for message in try dump(MessageType.getAddress, payload: AddressMessages.dump(family: family),
                                operation: "list addresses")
        where message.type == MessageType.newAddress {
            result.append(try Address(decoding: message.payload))
        }
        return result
    }
}
