import CLinuxShims

/// One netlink message as received: its header fields and the payload after the 16-byte header.
public struct NetlinkMessage: Sendable, Equatable {
    /// `nlmsg_type`, such as `RTM_NEWLINK` or `NLMSG_ERROR`.
    public var type: UInt16
    /// `nlmsg_flags`.
    public var flags: UInt16
    /// `nlmsg_seq`.
    public var sequence: UInt32
    /// `nlmsg_pid`, the sender's port id (0 for the kernel).
    public var portID: UInt32
    /// The bytes after the header, up to `nlmsg_len`.
    public var payload: [UInt8]

    public init(type: UInt16, flags: UInt16, sequence: UInt32, portID: UInt32, payload: [UInt8]) {
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.portID = portID
        self.payload = payload
    }

    /// The size of `struct nlmsghdr`.
    public static let headerSize = Int(CLS_NLMSG_HDRLEN)

    /// Encodes the message with a correct `nlmsg_len` and alignment padding.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.headerSize + payload.count + 3)
        bytes.appendLittleEndian(UInt32(Self.headerSize + payload.count))
        bytes.appendLittleEndian(type)
        bytes.appendLittleEndian(flags)
        bytes.appendLittleEndian(sequence)
        bytes.appendLittleEndian(portID)
        bytes += payload
        bytes.padToAlignment()
        return bytes
    }

    /// Splits a datagram into its messages. Throws `.malformed` for a truncated or inconsistent buffer.
    public static func split(_ datagram: [UInt8]) throws(NetlinkError) -> [NetlinkMessage] {
        var messages: [NetlinkMessage] = []
        var offset = 0
        while offset + headerSize <= datagram.count {
            let length = Int(datagram.readLittleEndian(UInt32.self, at: offset))
            guard length >= headerSize, offset + length <= datagram.count else {
                throw .malformed(reason: "message length \(length) overruns datagram of \(datagram.count)", offset: offset)
            }
            messages.append(NetlinkMessage(
                type: datagram.readLittleEndian(UInt16.self, at: offset + 4),
                flags: datagram.readLittleEndian(UInt16.self, at: offset + 6),
                sequence: datagram.readLittleEndian(UInt32.self, at: offset + 8),
                portID: datagram.readLittleEndian(UInt32.self, at: offset + 12),
                payload: Array(datagram[(offset + headerSize)..<(offset + length)])))
            offset += alignedLength(length)
        }
        if offset < datagram.count, datagram.count - offset >= 4 {
            throw .malformed(reason: "trailing \(datagram.count - offset) bytes", offset: offset)
        }
        return messages
    }
}

/// Rounds up to netlink's 4-byte alignment (`NLMSG_ALIGN`, `RTA_ALIGN`).
@inline(__always)
func alignedLength(_ length: Int) -> Int { (length + 3) & ~3 }

extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    mutating func padToAlignment() {
        while count % 4 != 0 { append(0) }
    }

    @inline(__always)
    func readLittleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var value: T = 0
        Swift.withUnsafeMutableBytes(of: &value) { raw in
            for index in 0..<MemoryLayout<T>.size { raw[index] = self[offset + index] }
        }
        return T(littleEndian: value)
    }

    @inline(__always)
    func readBigEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        T(bigEndian: readLittleEndian(T.self, at: offset).littleEndian)
    }
}
