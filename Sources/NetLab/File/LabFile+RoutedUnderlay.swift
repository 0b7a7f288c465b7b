import SystemKit

/// A routed underlay: every host on a segment of its own (a /30 from the underlay subnet: the router on its first
/// address, the host on its second), the store members on a /29 at the top of the subnet (the router on its last
/// usable address, the members below), joined by a router namespace with forwarding on; every host's and member's
/// default route goes through the router.
extension LabFile {
    /// The prefix length of a host's segment.
    static let hostSegmentPrefix = 30
    /// The prefix length of the store's segment.
    static let storeSegmentPrefix = 29

    /// Whether the underlay is routed segments rather than one switch.
    var isRoutedUnderlay: Bool { underlay.kind == "routed" }

    /// Gives each host its segment and address, and the store its segment; refuses uplink-ip (the segments are
    /// the pool's), a host named `router`, and a pool without room.
    mutating func resolveRoutedUnderlay(pool: IPNetwork) throws(LabError) {
        guard let first = pool.ipv4First, let last = pool.ipv4Last else { return }
        let size = UInt64(last) - UInt64(first) + 1
        guard UInt64(hosts.count) * 4 + 8 <= size else {
            throw .invalid(
                line: underlay.line,
                message: "the routed underlay subnet \(pool.aligned) has no room for a /30 segment per host "
                    + "(\(hosts.count)) and the store's /29; give a larger subnet")
        }
        if var store {
            store.addresses = (0..<UInt32(clamping: max(store.members, 0))).compactMap { index in
                IPNetwork(address: .v4(IPv4Address(value: last - 2 - index)), prefixLength: Self.storeSegmentPrefix)
            }
            self.store = store
        }
        for index in hosts.indices {
            let host = hosts[index]
            if host.uplinkAddress != nil {
                throw .invalid(
                    line: host.line,
                    message: "host '\(host.name)': uplink-ip is not taken on a routed underlay: each host is on a "
                        + "/30 segment of its own from the underlay subnet")
            }
            if host.name == "router" {
                throw .invalid(
                    line: host.line, message: "host name 'router' is taken by the routed underlay's router namespace")
            }
            hosts[index].uplinkAddress = IPNetwork(
                address: .v4(IPv4Address(value: first + UInt32(index) * 4 + 2)), prefixLength: Self.hostSegmentPrefix)
        }
    }

    /// The router's address on the segment of the host with uplink `uplink` (the segment's first address).
    static func routerAddress(forUplink uplink: IPNetwork) -> IPNetwork? {
        guard let first = uplink.ipv4First else { return nil }
        return IPNetwork(address: .v4(IPv4Address(value: first + 1)), prefixLength: Int(uplink.prefixLength))
    }

    /// Refuses the networks a routed underlay cannot carry: those that need the hosts on one LAN.
    func checkRoutedUnderlayNetworks() throws(LabError) {
        guard isRoutedUnderlay else { return }
        for network in networks {
            switch network.driver {
            case "macvlan":
                throw .invalid(
                    line: network.line,
                    message: "network '\(network.name)': the macvlan driver needs a shared L2 underlay (its nodes "
                        + "sit on the hosts' LAN), and a routed underlay puts each host on a segment of its own; "
                        + "use overlay")
            case "routed":
                throw .invalid(
                    line: network.line,
                    message: "network '\(network.name)': the routed driver needs a shared L2 underlay (each host "
                        + "routes the others' parts through their uplink addresses, which must be on-link), and a "
                        + "routed underlay puts each host on a segment of its own; use overlay")
            default: break
            }
        }
    }
}
