import NetlinkKit

/// A DHCPv4 message (RFC 2131): the BOOTP header, the magic cookie and the options.
///
/// Only Ethernet clients are represented. The `sname` and `file` fields are written as zeros and not decoded, so
/// option overload (option 52) is ignored.
public struct DHCPMessage: Sendable, Equatable {
    /// The BOOTP `op` field.
    public enum Operation: UInt8, Sendable {
        /// `BOOTREQUEST`, client to server.
        case request = 1
        /// `BOOTREPLY`, server to client.
        case reply = 2
    }

    /// `op`.
    public var operation: Operation
    /// `hops`, incremented by relay agents.
    public var hops: UInt8
    /// `xid`, chosen by the client and echoed by the server.
    public var transactionID: UInt32
    /// `secs`: seconds since the client began acquiring or renewing.
    public var secondsElapsed: UInt16
    /// The `BROADCAST` bit of `flags`: the client cannot receive unicast before it has an address.
    public var broadcast: Bool
    /// `ciaddr`: the client's current address, when it has one (renew, release).
    public var clientAddress: IPv4Address
    /// `yiaddr`: the address the server offers or assigns.
    public var yourAddress: IPv4Address
    /// `siaddr`: the next server in bootstrap (not the DHCP server; that is option 54).
    public var serverAddress: IPv4Address
    /// `giaddr`: the relay agent's address.
    public var relayAddress: IPv4Address
    /// `chaddr`: the client's hardware address.
    public var clientHardwareAddress: MACAddress
    /// The options in wire order, without pad and end.
    public var options: [DHCPOption]

    /// Creates a message; the addresses default to 0.0.0.0.
    public init(operation: Operation, transactionID: UInt32, clientHardwareAddress: MACAddress,
                options: [DHCPOption], secondsElapsed: UInt16 = 0, broadcast: Bool = false,
                clientAddress: IPv4Address = IPv4Address(0, 0, 0, 0),
                yourAddress: IPv4Address = IPv4Address(0, 0, 0, 0),
                serverAddress: IPv4Address = IPv4Address(0, 0, 0, 0),
                relayAddress: IPv4Address = IPv4Address(0, 0, 0, 0), hops: UInt8 = 0)
    {
        self.operation = operation
        self.hops = hops
        self.transactionID = transactionID
        self.secondsElapsed = secondsElapsed
        self.broadcast = broadcast
        self.clientAddress = clientAddress
        self.yourAddress = yourAddress
        self.serverAddress = serverAddress
        self.relayAddress = relayAddress
        self.clientHardwareAddress = clientHardwareAddress
        self.options = options
    }

    // MARK: Wire layout

    /// `htype` for Ethernet (`ARPHRD_ETHER`).
    static let ethernetHardwareType: UInt8 = 1
    /// `hlen` for Ethernet.
    static let ethernetAddressLength: UInt8 = 6
    /// The bit of `flags` that asks for broadcast replies.
    static let broadcastFlag: UInt16 = 0x8000
    /// 99.130.83.99, which starts the options (RFC 2131 section 3).
    static let magicCookie: [UInt8] = [99, 130, 83, 99]
    /// The size of `chaddr`, `sname` and `file`.
    static let hardwareAddressFieldLength = 16
    static let serverNameFieldLength = 64
    static let bootFileFieldLength = 128
    /// Offset of the magic cookie: the fixed BOOTP header's length.
    static let cookieOffset = 236
    /// Offset of the first option.
    static let optionsOffset = 240
    /// The smallest BOOTP message (RFC 1542 section 2.1); shorter messages are padded with zeros after `end`.
    static let minimumLength = 300
    /// The longest data one option can carry.
    static let maximumOptionLength = 255

    /// The message as sent on the wire, padded to 300 bytes.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.minimumLength)
        bytes.append(operation.rawValue)
        bytes.append(Self.ethernetHardwareType)
        bytes.append(Self.ethernetAddressLength)
        bytes.append(hops)
        bytes.appendBigEndian(transactionID)
        bytes.appendBigEndian(secondsElapsed)
        bytes.appendBigEndian(broadcast ? Self.broadcastFlag : 0)
        bytes += clientAddress.bytes
        bytes += yourAddress.bytes
        bytes += serverAddress.bytes
        bytes += relayAddress.bytes
        bytes += clientHardwareAddress.bytes
        bytes += [UInt8](repeating: 0, count: Self.hardwareAddressFieldLength - clientHardwareAddress.bytes.count)
        bytes += [UInt8](repeating: 0, count: Self.serverNameFieldLength + Self.bootFileFieldLength)
        bytes += Self.magicCookie
        for option in options where option.code != .pad && option.code != .end {
            // Longer data is split over several instances, which the receiver concatenates (RFC 3396).
            var chunks = stride(from: 0, to: option.data.count, by: Self.maximumOptionLength).map {
                option.data[$0..<min($0 + Self.maximumOptionLength, option.data.count)]
            }
            if chunks.isEmpty { chunks = [[]] }
            for chunk in chunks {
                bytes.append(option.code.rawValue)
                bytes.append(UInt8(chunk.count))
                bytes += chunk
            }
        }
        bytes.append(DHCPOption.Code.end.rawValue)
        if bytes.count < Self.minimumLength { bytes += [UInt8](repeating: 0, count: Self.minimumLength - bytes.count) }
        return bytes
    }

    /// Decodes a message received from the wire. Options after `end` and the `sname`/`file` fields are ignored; a
    /// missing `end` is tolerated when the last option is complete.
    public init(decoding bytes: [UInt8]) throws(DHCPError) {
        guard bytes.count >= Self.optionsOffset else {
            throw .malformed(reason: "\(bytes.count) bytes is shorter than the BOOTP header and magic cookie (240)",
                             offset: bytes.count)
        }
        guard let operation = Operation(rawValue: bytes[0]) else {
            throw .malformed(reason: "unknown BOOTP op \(bytes[0])", offset: 0)
        }
        guard bytes[1] == Self.ethernetHardwareType, bytes[2] == Self.ethernetAddressLength,
            let mac = MACAddress(bytes: Array(bytes[28..<34]))
        else {
            throw .malformed(reason: "hardware type \(bytes[1]) length \(bytes[2]) is not Ethernet", offset: 1)
        }
        guard Array(bytes[Self.cookieOffset..<Self.optionsOffset]) == Self.magicCookie else {
            throw .malformed(reason: "missing DHCP magic cookie", offset: Self.cookieOffset)
        }
        self.operation = operation
        hops = bytes[3]
        transactionID = bytes.bigEndianValue(UInt32.self, at: 4)
        secondsElapsed = bytes.bigEndianValue(UInt16.self, at: 8)
        broadcast = bytes.bigEndianValue(UInt16.self, at: 10) & Self.broadcastFlag != 0
        clientAddress = IPv4Address(bytes: Array(bytes[12..<16]))
        yourAddress = IPv4Address(bytes: Array(bytes[16..<20]))
        serverAddress = IPv4Address(bytes: Array(bytes[20..<24]))
        relayAddress = IPv4Address(bytes: Array(bytes[24..<28]))
        clientHardwareAddress = mac
        options = try Self.decodeOptions(bytes, from: Self.optionsOffset)
    }

    private static func decodeOptions(_ bytes: [UInt8], from start: Int) throws(DHCPError) -> [DHCPOption] {
        var options: [DHCPOption] = []
        var offset = start
        while offset < bytes.count {
            let code = DHCPOption.Code(rawValue: bytes[offset])
            if code == .pad {
                offset += 1
                continue
            }
            if code == .end { break }
            guard offset + 1 < bytes.count else {
                throw .malformed(reason: "option \(code) has no length octet", offset: offset)
            }
            let length = Int(bytes[offset + 1])
            let dataStart = offset + 2
            guard dataStart + length <= bytes.count else {
                throw .malformed(reason: "option \(code) needs \(length) bytes but \(bytes.count - dataStart) remain",
                                 offset: offset)
            }
            options.append(DHCPOption(code, data: Array(bytes[dataStart..<dataStart + length])))
            offset = dataStart + length
        }
        return options
    }

    // MARK: Option accessors

    /// The data of option `code`, with repeated instances concatenated (RFC 3396), or nil when absent.
    public func option(_ code: DHCPOption.Code) -> [UInt8]? {
        let matching = options.filter { $0.code == code }
        return matching.isEmpty ? nil : matching.flatMap(\.data)
    }

    /// Option 53, or nil when it is absent or unknown (then this is plain BOOTP).
    public var messageType: DHCPMessageType? {
        guard let data = option(.messageType), data.count == 1 else { return nil }
        return DHCPMessageType(rawValue: data[0])
    }

    /// Option 54.
    public var serverIdentifier: IPv4Address? { address(.serverIdentifier) }

    /// Option 50.
    public var requestedAddress: IPv4Address? { address(.requestedAddress) }

    /// Option 1.
    public var subnetMask: IPv4Address? { address(.subnetMask) }

    /// Option 3.
    public var routers: [IPv4Address] { addresses(.router) }

    /// Option 6.
    public var dnsServers: [IPv4Address] { addresses(.domainNameServer) }

    /// Option 15, without trailing NULs some servers add.
    public var domainName: String? { text(.domainName) }

    /// Option 12.
    public var hostName: String? { text(.hostName) }

    /// Option 56.
    public var message: String? { text(.message) }

    /// Option 51.
    public var leaseSeconds: UInt32? {
        guard let data = option(.leaseTime), data.count == 4 else { return nil }
        return data.bigEndianValue(UInt32.self, at: 0)
    }

    private func address(_ code: DHCPOption.Code) -> IPv4Address? {
        guard let data = option(code), data.count == 4 else { return nil }
        return IPv4Address(bytes: data)
    }

    private func addresses(_ code: DHCPOption.Code) -> [IPv4Address] {
        guard let data = option(code), data.count % 4 == 0 else { return [] }
        return stride(from: 0, to: data.count, by: 4).map { IPv4Address(bytes: Array(data[$0..<$0 + 4])) }
    }

    private func text(_ code: DHCPOption.Code) -> String? {
        guard let data = option(code) else { return nil }
        let trimmed = data.prefix { $0 != 0 }
        return trimmed.isEmpty ? nil : String(decoding: trimmed, as: UTF8.self)
    }
}

extension [UInt8] {
    /// Appends `value` in network byte order.
    fileprivate mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    /// Reads a network-order integer at `offset`; the caller has checked the bounds.
    fileprivate func bigEndianValue<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size { value = value << 8 | T(self[offset + index]) }
        return value
    }
}
