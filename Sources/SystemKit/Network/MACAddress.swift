/// A 48-bit Ethernet hardware address.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    /// The six address bytes in wire order.
    public let bytes: [UInt8]

    /// Creates an address from exactly six bytes; returns nil for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 6 else { return nil }
        self.bytes = bytes
    }

    /// Parses `aa:bb:cc:dd:ee:ff` (or with `-` separators); returns nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: text.contains("-") ? "-" : ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...2).contains(part.count), let byte = UInt8(part, radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// The all-ones broadcast address.
    public static let broadcast = MACAddress(unchecked: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff])

    /// The all-zeros address (a VXLAN FDB's default destination, `bridge fdb append 00:00:00:00:00:00`).
    public static let zero = MACAddress(unchecked: [0, 0, 0, 0, 0, 0])

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Whether the group bit is set (multicast or broadcast), which no interface may use as its own address.
    public var isMulticast: Bool { bytes[0] & 0x01 != 0 }

    /// Whether the address is all zeros.
    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    public var description: String {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
