import NetlinkKit
import SystemKit

/// `--ipv6` networks: an IPv6 subnet beside the IPv4 one. The bridge holds the gateway (`::1` unless given),
/// IPv6 forwarding is on, and each container gets the lowest free address of the subnet (as Docker hands them
/// out), added without duplicate address detection so it is usable at once, and a default route via the gateway
/// on its first network. Addresses are read from the endpoint records under the store's lock: the records are
/// the allocation table, so nothing else has to be kept in step.
extension NetworkRecord {
    /// The network's IPv6 side: a user network's `--ipv6` subnet, or the default network's `--fixed-cidr-v6`.
    public var ipv6: IPv6NetworkOptions? { metadata?.ipv6 ?? options.ipv6 }
}

extension BridgeDriver {
    /// The bridge side of an `--ipv6` network: its gateway address on the bridge and IPv6 forwarding.
    func configureBridgeIPv6(_ options: BridgeNetworkOptions, ipv6: IPv6NetworkOptions?, bridge: InterfaceIndex,
                             transaction: inout Transaction) throws
    {
        guard let ipv6 else { return }
        try setSysctl("net/ipv6/conf/\(options.bridge)/disable_ipv6", "0")
        guard let address = IPNetwork(address: .v6(ipv6.gateway), prefixLength: Int(ipv6.subnet.prefixLength)) else {
            throw NetworkError(.internal, "bad IPv6 prefix \(ipv6.subnet.prefixLength)")
        }
        let present = try host.addresses(family: .inet6).contains { $0.interface == bridge && $0.network == address }
        if !present {
            try host.addAddress(address, to: bridge, name: options.bridge, skipDuplicateDetection: true)
            let host = host
            transaction.onRollback("remove \(address) from \(options.bridge)") {
                try? host.deleteAddress(address, from: bridge)
            }
        }
        if options.ipForward { try setSysctl("net/ipv6/conf/all/forwarding", "1") }
    }

    /// The IPv6 address for a new endpoint of `network`: `requested` (inside the subnet, not the gateway, free), or
    /// the lowest free one. Nil when the network has no IPv6 subnet (then `requested` is refused).
    func allocateIPv6(on network: NetworkRecord, requested: IPv6Address?) throws(NetworkError) -> IPv6Address? {
        guard let ipv6 = network.ipv6 else {
            if let requested {
                throw NetworkError(.invalidArgument, "Invalid address \(requested): It does not belong to any of this"
                    + " network's subnets")
            }
            return nil
        }
        var taken: Set<IPv6Address> = [ipv6.gateway]
        for endpoint in try store.endpoints() where endpoint.network == network.options.name {
            if let address = endpoint.address6 { taken.insert(address) }
        }
        let aux = Array((network.metadata?.auxiliaryAddresses ?? [:]).values)
            + Array((ipv6.auxiliaryAddresses ?? [:]).values)
        for text in aux {
            if let address = IPv6Address(text) { taken.insert(address) }
        }
        if let requested {
            guard ipv6.subnet.contains(.v6(requested)) else {
                throw NetworkError(.invalidArgument, "Invalid address \(requested): It does not belong to any of this"
                    + " network's subnets")
            }
            guard !taken.contains(requested) else {
                throw NetworkError(.conflict, "Address already in use: \(requested)")
            }
            return requested
        }
        let hostBits = 128 - Int(ipv6.subnet.prefixLength)
        let base = ipv6.subnet.address.bytes
        // Host numbers from 1 up, in the low 64 bits (a /64 and longer; a shorter prefix uses its low 64 bits).
        let limit: UInt64 = hostBits >= 64 ? UInt64.max : (UInt64(1) << UInt64(hostBits)) - 1
        var number: UInt64 = 1
        while number < limit {
            let address = Self.ipv6(base, plus: number)
            if !taken.contains(address) { return address }
            number += 1
        }
        throw NetworkError(.unavailable, "no free IPv6 address left in \(ipv6.subnet)")
    }

    /// The guest side: the address (`nodad`) on `link` and, on the first network, the default route via the gateway.
    func configureGuestIPv6(_ guest: NetlinkSocket, link: Link, network: NetworkRecord, address: IPv6Address?,
                            isFirst: Bool) throws
    {
        guard let address, let ipv6 = network.ipv6 else { return }
        guard let cidr = IPNetwork(address: .v6(address), prefixLength: Int(ipv6.subnet.prefixLength)) else {
            throw NetworkError(.internal, "bad IPv6 prefix for \(address)")
        }
        try guest.addAddress(cidr, to: link.index, name: link.name, skipDuplicateDetection: true)
        if isFirst {
            try guest.replaceRoute(RouteSpec(gateway: .v6(ipv6.gateway), device: link.index))
        }
    }

    /// `base` with `number` added to its low 64 bits.
    static func ipv6(_ base: [UInt8], plus number: UInt64) -> IPv6Address {
        var bytes = base
        var low: UInt64 = 0
        for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
        low &+= number
        for index in (8..<16).reversed() {
            bytes[index] = UInt8(low & 0xFF)
            low >>= 8
        }
        return IPv6Address(bytes: bytes)
    }
}
