/// An IPv4 network: a network address whose host bits are zero and a prefix length, such as `10.0.0.0/24`.
public struct IPv4Subnet: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits zero).
    public let address: Address
    /// The prefix length, 0 through 32.
    public let prefixLength: UInt8

    /// Creates a subnet; throws when the prefix is longer than 32 bits or the address has host bits set.
    public init(address: Address, prefixLength: Int) throws(FirewallError) {
        guard (0...32).contains(prefixLength) else {
            throw .invalidModel("prefix length \(prefixLength) of \(address) is not between 0 and 32")
        }
        let mask = Self.mask(UInt8(prefixLength))
        guard address.value & ~mask == 0 else {
            let network = Address(value: address.value & mask)
            throw .invalidModel(
                "\(address)/\(prefixLength) has host bits set; the network is \(network)/\(prefixLength)")
        }
        self.address = address
        self.prefixLength = UInt8(prefixLength)
    }

    /// Parses `A.B.C.D/LEN`, such as `172.18.0.0/16`.
    public init(_ text: String) throws(FirewallError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].count <= 2,
            parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            let length = Int(parts[1])
        else { throw .invalidModel("\"\(text)\" is not an IPv4 subnet such as 10.0.0.0/24") }
        try self.init(address: try Address(String(parts[0])), prefixLength: length)
    }

    /// The netmask as a host-order integer.
    public var mask: UInt32 { Self.mask(prefixLength) }

    /// Whether `address` lies inside this subnet.
    public func contains(_ address: Address) -> Bool { address.value & mask == self.address.value }

    /// Whether the two subnets share any address.
    public func overlaps(_ other: IPv4Subnet) -> Bool {
        let shorter = min(prefixLength, other.prefixLength)
        let mask = Self.mask(shorter)
        return address.value & mask == other.address.value & mask
    }

    /// `ADDRESS/LEN`, such as `10.0.0.0/24`.
    public var description: String { "\(address)/\(prefixLength)" }

    private static func mask(_ length: UInt8) -> UInt32 { length == 0 ? 0 : UInt32.max << (32 - UInt32(length)) }
}
