import Firewall
import NetlinkKit
import SystemKit

extension BridgeDriver {
    /// Creates a bridge network: IPAM pool, bridge (address, MTU, up, `route_localnet` for publishing on
    /// 127.0.0.1), `ip_forward`, and the firewall rules, as one transaction.
    @discardableResult
    public func createNetwork(_ options: BridgeNetworkOptions, metadata: NetworkMetadata? = nil) throws(NetworkError)
        -> NetworkRecord
    {
        try store.locked { () throws(NetworkError) -> NetworkRecord in
            try validate(options)
            removeLeftoverPool(of: options.name)
            return try transactionally { transaction in
                try applyCreate(options, metadata: metadata, transaction: &transaction)
            }
        }
    }

    private func validate(_ options: BridgeNetworkOptions) throws(NetworkError) {
        if try store.network(named: options.name) != nil {
            throw NetworkError(.conflict, "network \(options.name) already exists")
        }
        if let problem = InterfaceName.problem(with: options.bridge) {
            throw NetworkError(.invalidArgument, "bridge name \"\(options.bridge)\": \(problem)")
        }
        if let address = options.bridgeAddress, case .v6 = address.address {
            throw NetworkError(.invalidArgument, "--bip \(address): only IPv4 bridge addresses are supported")
        }
        if try store.networks().contains(where: { $0.options.bridge == options.bridge }) {
            throw NetworkError(.conflict, "bridge \(options.bridge) already belongs to another Splice network")
        }
        guard (68...65535).contains(options.mtu) else {
            throw NetworkError(.invalidArgument, "--mtu \(options.mtu): must be between 68 and 65535")
        }
    }

    /// Deletes the IPAM pool a create of `name` cut by a crash left (the record is saved after the pool, so a
    /// pool without a record is such a leftover), with its allocations; called with the store locked.
    func removeLeftoverPool(of name: String) {
        guard let pool = ((try? ipam.pools()) ?? []).first(where: { $0.name == name }) else { return }
        for address in pool.allocations.keys.compactMap(IPv4Address.init) { try? ipam.release(address, in: name) }
        try? ipam.deletePool(name: name)
    }

    private func applyCreate(_ options: BridgeNetworkOptions, metadata: NetworkMetadata?,
                             transaction: inout Transaction) throws -> NetworkRecord
    {
        let routes = try host.routes(family: .inet).compactMap(\.destination)
        let subnet = options.bridgeAddress.flatMap(Self.networkOf) ?? options.subnet
        var gateway: IPv4Address?
        if let address = options.bridgeAddress, case .v4(let v4) = address.address { gateway = v4 }
        let existing = try host.link(named: options.bridge)
        if let existing, existing.kind != "bridge" {
            throw NetworkError(.conflict, "\(options.bridge) exists and is not a bridge")
        }
        // A bridge Splice adopts already has its routes; they must not count as overlaps with itself.
        let avoid = routes.filter { route in existing == nil || !(subnet.map { $0 == route } ?? false) }
        let pool = try ipam.createPool(name: options.name, subnet: subnet, range: options.ipRange, gateway: gateway,
                                       avoiding: existing == nil ? avoid : [], overlapping: options.isDetached)
        let ipam = ipam
        transaction.onRollback("delete IPAM pool \(options.name)") { try ipam.deletePool(name: options.name) }
        Failpoint.hit("network.pool")
        let host = host
        let bridgeIndex: InterfaceIndex
        // A bridge with this network's mark was made by a create a crash cut: it is Splice's, as if made now.
        let leftover = existing?.alias == SpliceNetMark.network(options.name)
        if let existing {
            bridgeIndex = existing.index
            try host.setLink(existing.index, LinkChange(up: true, mtu: options.mtu), name: options.bridge)
        } else {
            try host.addLink(LinkSpec(name: options.bridge, kind: .bridge, mtu: options.mtu, up: true,
                                      alias: SpliceNetMark.network(options.name)))
            guard let made = try host.link(named: options.bridge) else {
                throw NetworkError(.internal, "bridge \(options.bridge) vanished after creation")
            }
            bridgeIndex = made.index
            transaction.onRollback("delete bridge \(options.bridge)") { try host.deleteLink(made.index, name: options.bridge) }
            Failpoint.hit("network.bridge")
        }
        let bridgeNetwork = IPNetwork(address: .v4(pool.gateway), prefixLength: Int(pool.subnet.prefixLength))
        if let bridgeNetwork, !options.isDetached {
            let present = try host.addresses(family: .inet).contains { $0.interface == bridgeIndex && $0.network == bridgeNetwork }
            if !present {
                try host.addAddress(bridgeNetwork, to: bridgeIndex, name: options.bridge)
                transaction.onRollback("remove \(bridgeNetwork) from \(options.bridge)") {
                    try? host.deleteAddress(bridgeNetwork, from: bridgeIndex)
                }
            }
        }
        try host.setLink(bridgeIndex, LinkChange(ipv4: [.routeLocalnet: 1]), name: options.bridge)
        try configureBridgeIPv6(options, ipv6: metadata?.ipv6 ?? options.ipv6, bridge: bridgeIndex,
                                transaction: &transaction)
        if options.ipForward { try setSysctl("net/ipv4/ip_forward", "1") }
        try reserveAuxiliaryAddresses(metadata, network: options.name, transaction: &transaction)
        let record = NetworkRecord(options: options, subnet: pool.subnet, gateway: pool.gateway,
                                   createdBridge: existing == nil || leftover, metadata: metadata)
        let previous = try firewallModel()
        try store.save(record)
        let store = store
        transaction.onRollback("forget network \(options.name)") { try store.removeNetwork(named: options.name) }
        Failpoint.hit("network.record")
        try applyFirewall(replacing: previous, transaction: &transaction)
        return record
    }

    /// Deletes a network that has no endpoints: its firewall rules (the whole table when it was the last
    /// Splice object), its bridge if Splice made it, and its pool.
    public func deleteNetwork(named name: String) throws(NetworkError) {
        try store.locked { () throws(NetworkError) in
            guard let record = try store.network(named: name) else {
                throw NetworkError(.notFound, "network \(name) not found")
            }
            let attached = try store.endpoints().filter { $0.network == name }
            if !attached.isEmpty {
                throw NetworkError(.conflict, "network \(name) has \(attached.count) active endpoint(s)"
                    + " (\(attached.map(\.sandbox).joined(separator: ", "))); disconnect them first")
            }
            var failures: [String] = []
            do { try store.removeNetwork(named: name) } catch { failures.append("\(error)") }
            Failpoint.hit("network.rm")
            var ignored = Transaction()
            do { try applyFirewall(replacing: nil, transaction: &ignored) } catch { failures.append("\(error)") }
            if record.createdBridge {
                do throws(NetlinkError) {
                    try host.deleteLink(named: record.options.bridge)
                } catch where error.errno?.meansAlreadyGone == true {
                } catch {
                    failures.append("\(error)")
                }
            }
            releaseAuxiliaryAddresses(network: name)
            do { try ipam.deletePool(name: name) } catch { failures.append("\(error)") }
            if !failures.isEmpty {
                throw NetworkError(.internal, "network \(name) removed with errors: \(failures.joined(separator: "; "))")
            }
        }
    }

    /// Every network Splice has.
    public func networks() throws(NetworkError) -> [NetworkRecord] { try store.networks() }

    static func networkOf(_ address: IPNetwork) -> IPNetwork? {
        guard case .v4(let v4) = address.address else { return nil }
        let length = Int(address.prefixLength)
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - UInt32(length))
        return IPNetwork(address: .v4(IPv4Address(value: v4.value & mask)), prefixLength: length)
    }
}

/// The marks (interface aliases) Splice's network driver leaves on what it creates.
enum SpliceNetMark {
    static let prefix = "splice:net"
    static func network(_ name: String) -> String { "\(prefix) network=\(name)" }
    static func endpoint(network: String, sandbox: String) -> String { "\(prefix) network=\(network) sandbox=\(sandbox)" }
}
