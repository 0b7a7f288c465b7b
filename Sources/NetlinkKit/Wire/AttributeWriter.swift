/// Builds a netlink payload: a fixed family header followed by (possibly nested) `rtattr` attributes.
public struct AttributeWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Starts a payload with the family header bytes (`struct ifinfomsg` and the like).
    public init(header: [UInt8] = []) {
        bytes = header
        bytes.padToAlignment()
    }

    /// Appends an attribute with raw bytes as its value.
    public mutating func append(_ type: UInt16, bytes value: [UInt8]) {
        bytes.appendLittleEndian(UInt16(4 + value.count))
        bytes.appendLittleEndian(type)
        bytes += value
        bytes.padToAlignment()
    }

    /// Appends a NUL-terminated string attribute (`IFLA_IFNAME`, `IFLA_INFO_KIND`).
    public mutating func append(_ type: UInt16, string: String) {
        append(type, bytes: Array(string.utf8) + [0])
    }

    /// Appends an attribute holding a host-order integer (`u8`, `u16`, `u32`, `s32`).
    public mutating func append<T: FixedWidthInteger>(_ type: UInt16, _ value: T) {
        var raw: [UInt8] = []
        raw.appendLittleEndian(value)
        append(type, bytes: raw)
    }

    /// Appends an attribute holding a network-order integer (`IFLA_VXLAN_PORT`).
    public mutating func append<T: FixedWidthInteger>(_ type: UInt16, bigEndian value: T) {
        var raw: [UInt8] = []
        raw.appendBigEndian(value)
        append(type, bytes: raw)
    }

    /// Appends a flag attribute with no value.
    public mutating func appendFlag(_ type: UInt16) { append(type, bytes: []) }

    /// Appends a nested attribute whose contents `body` writes. `NLA_F_NESTED` is not set, as iproute2 does not.
    public mutating func nest(_ type: UInt16, _ body: (inout AttributeWriter) -> Void) {
        let start = bytes.count
        bytes += [0, 0, 0, 0]
        body(&self)
        let length = UInt16(bytes.count - start)
        bytes[start] = UInt8(length & 0xff)
        bytes[start + 1] = UInt8(length >> 8)
        bytes[start + 2] = UInt8(type & 0xff)
        bytes[start + 3] = UInt8(type >> 8)
    }

    /// Appends raw bytes (a nested family header, such as the veth peer's `ifinfomsg`).
    public mutating func appendRaw(_ raw: [UInt8]) {
        bytes += raw
        bytes.padToAlignment()
    }
}
