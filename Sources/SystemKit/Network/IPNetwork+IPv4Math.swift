/// IPv4 arithmetic the address manager and the firewall need: bounds as host-order integers, alignment, overlap.
extension IPNetwork {
    /// The IPv4 address of this network, or nil for IPv6.
    public var ipv4Address: IPv4Address? {
        if case .v4(let address) = address { return address }
        return nil
    }

    /// The netmask as a host-order integer (0 for `/0`).
    public var ipv4Mask: UInt32 { prefixLength == 0 ? 0 : UInt32.max << (32 - UInt32(min(prefixLength, 32))) }

    /// The lowest address (the network address) as a host-order integer, or nil for IPv6.
    public var ipv4First: UInt32? { ipv4Address.map { $0.value & ipv4Mask } }

    /// The highest address (the broadcast address) as a host-order integer, or nil for IPv6.
    public var ipv4Last: UInt32? { ipv4First.map { $0 | ~ipv4Mask } }

    /// Whether the address has no bits set beyond the prefix, as in `172.18.0.0/16` but not `172.18.0.5/16`.
    public var isAligned: Bool { ipv4Address.map { $0.value & ~ipv4Mask == 0 } ?? false }

    /// The same network with the host bits cleared (IPv4 only; IPv6 is returned unchanged).
    public var aligned: IPNetwork {
        guard let first = ipv4First,
            let network = IPNetwork(address: .v4(IPv4Address(value: first)), prefixLength: Int(prefixLength))
        else { return self }
        return network
    }

    /// Whether the two networks share at least one address (one contains the other's network address).
    public func overlaps(_ other: IPNetwork) -> Bool { contains(other.address) || other.contains(address) }

    /// Whether `other` lies entirely inside this network.
    public func encloses(_ other: IPNetwork) -> Bool { other.prefixLength >= prefixLength && contains(other.address) }
}
