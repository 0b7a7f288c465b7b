/// An interface address with its prefix length, such as `192.168.1.5/24`.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The address (host bits kept, as `ip addr` keeps them).
    public let address: IPAddress
    /// The prefix length, 0 through 32 (IPv4) or 128 (IPv6).
    public let prefixLength: UInt8

    /// Creates a network; returns nil when the prefix is longer than the address.
    public init?(address: IPAddress, prefixLength: Int) {
        guard prefixLength >= 0, prefixLength <= address.bitWidth else { return nil }
        self.address = address
        self.prefixLength = UInt8(prefixLength)
    }

    /// Parses `ADDRESS/LEN`; returns nil when either part is malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])),
            parts[1].allSatisfy(\.isASCII), let length = Int(parts[1]), !parts[1].hasPrefix("+")
        else { return nil }
        self.init(address: address, prefixLength: length)
    }

    /// The IPv4 directed broadcast address of this network, as `ip addr add ... broadcast +` computes it.
    public var broadcast: IPv4Address? {
        guard case .v4(let v4) = address, prefixLength < 31 else { return nil }
        let hostMask: UInt32 = prefixLength == 0 ? .max : (1 << (32 - UInt32(prefixLength))) - 1
        return IPv4Address(value: v4.value | hostMask)
    }

    /// Whether `other` lies inside this network.
    public func contains(_ other: IPAddress) -> Bool {
        let mine = address.bytes
        let theirs = other.bytes
        guard mine.count == theirs.count else { return false }
        var remaining = Int(prefixLength)
        for index in mine.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if mine[index] & mask != theirs[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
