import NetlinkKit
import SystemKit

/// The macvlan driver, beside the bridge one and sharing its store, IPAM and transactions: a network is a parent
/// interface and a pool (no bridge, no firewall rules, as Docker's macvlan driver); each container gets a macvlan
/// child of the parent created directly in its namespace as its next `ethN`, with its IPAM address, the MAC
/// derived from it, and the default route via the network's gateway (a router on the parent's LAN). The host
/// cannot reach its own macvlan children through the parent (the kernel does not loop a parent's traffic back
/// to its children); siblings in bridge mode reach each other.
extension BridgeDriver {
    /// Creates a macvlan network on `macvlan.parent`: the pool (the subnet may be the parent's own LAN, so routes
    /// do not count as overlaps; other networks' subnets do), the aux addresses reserved, the record. Refuses a
    /// parent that does not exist, or that another macvlan network already uses, with dockerd's words.
    @discardableResult
    public func createMacvlanNetwork(_ options: BridgeNetworkOptions, macvlan: MacvlanNetworkOptions,
                                     metadata: NetworkMetadata) throws(NetworkError) -> NetworkRecord
    {
        try store.locked { () throws(NetworkError) -> NetworkRecord in
            if try store.network(named: options.name) != nil {
                throw NetworkError(.conflict, "network with name \(options.name) already exists")
            }
            guard MacvlanMode(name: macvlan.mode) != nil else {
                throw NetworkError(.invalidArgument, "requested macvlan mode '\(macvlan.mode)' is not valid,"
                    + " 'bridge' mode is the macvlan driver default")
            }
            let parent: Link?
            do { parent = try host.link(named: macvlan.parent) } catch { throw NetworkError(wrapping: error) }
            guard let parent else {
                throw NetworkError(.invalidArgument, "-o parent interface was not found on the host: \(macvlan.parent)")
            }
            if let user = try store.networks().first(where: { $0.metadata?.macvlan?.parent == macvlan.parent }) {
                throw NetworkError(.conflict, "network \(user.metadata?.id ?? user.options.name) is already using"
                    + " parent interface \(macvlan.parent)")
            }
            var options = options
            options.bridge = macvlan.parent
            options.firewall = false
            options.ipForward = false
            options.ipMasquerade = false
            if options.mtu == 1500, let parentMTU = parent.mtu { options.mtu = parentMTU }
            let wanted = options
            return try transactionally { transaction in
                var gateway: IPv4Address?
                if let address = wanted.bridgeAddress, case .v4(let v4) = address.address { gateway = v4 }
                let pool = try ipam.createPool(name: wanted.name, subnet: wanted.subnet, range: wanted.ipRange,
                                               gateway: gateway)
                let ipam = ipam
                transaction.onRollback("delete IPAM pool \(wanted.name)") { try ipam.deletePool(name: wanted.name) }
                try reserveAuxiliaryAddresses(metadata, network: wanted.name, transaction: &transaction)
                let record = NetworkRecord(options: wanted, subnet: pool.subnet, gateway: pool.gateway,
                                           createdBridge: false, metadata: metadata)
                try store.save(record)
                return record
            }
        }
    }

    /// Whether `network` is a macvlan network.
    static func isMacvlan(_ network: NetworkRecord) -> Bool { network.metadata?.macvlan != nil }

    /// The macvlan side of `connect`: a child of the parent made directly in the sandbox as `ethN`, its address,
    /// and the default route on the first network. Published ports do not apply (dockerd ignores them too).
    func applyMacvlanConnect(_ sandbox: Sandbox, network: NetworkRecord, address: IPv4Address?,
                             mac requestedMAC: MACAddress?, isFirst: Bool, address6: IPv6Address?,
                             transaction: inout Transaction) throws
        -> EndpointRecord
    {
        guard let macvlan = network.metadata?.macvlan else {
            throw NetworkError(.internal, "network \(network.options.name) is not a macvlan network")
        }
        let name = network.options.name
        guard let parent = try host.link(named: macvlan.parent) else {
            throw NetworkError(.notFound, "-o parent interface was not found on the host: \(macvlan.parent)")
        }
        let ipam = ipam
        let assigned = try ipam.allocate(in: name, owner: sandbox.id, requested: address)
        transaction.onRollback("release \(assigned)") { try ipam.release(assigned, in: name) }
        let guest = try NetlinkSocket.open(in: sandbox.namespace)
        let guestLinks = try guest.links().map(\.name)
        var slot = 0
        while guestLinks.contains("eth\(slot)") { slot += 1 }
        let interface = "eth\(slot)"
        let mac = requestedMAC ?? MACAddress.docker(for: assigned)
        try host.addLink(LinkSpec(name: interface, kind: .macvlan(mode: macvlan.kernelMode), mtu: network.options.mtu,
                                  address: mac, parent: parent.index, namespace: sandbox.namespace))
        guard let link = try guest.link(named: interface) else {
            throw NetworkError(.internal, "\(interface) did not appear in sandbox \(sandbox.id)")
        }
        transaction.onRollback("delete \(interface) of \(sandbox.id)") {
            try? guest.deleteLink(link.index, name: interface)
        }
        try guest.setLink(link.index, LinkChange(up: true, ipv4: [.arpNotify: 1]), name: interface)
        guard let cidr = IPNetwork(address: .v4(assigned), prefixLength: Int(network.subnet.prefixLength)) else {
            throw NetworkError(.internal, "bad prefix for \(assigned)")
        }
        try guest.addAddress(cidr, to: link.index, name: interface)
        if isFirst {
            try guest.replaceRoute(RouteSpec(gateway: .v4(network.gateway), device: link.index))
        }
        try configureGuestIPv6(guest, link: link, network: network, address: address6, isFirst: isFirst)
        let record = EndpointRecord(network: name, sandbox: sandbox.id, interface: interface, hostInterface: "",
                                    address: assigned, mac: mac, gateway: isFirst ? network.gateway : nil, ports: [],
                                    address6: address6)
        try store.save(record)
        return record
    }

    /// Deletes a macvlan endpoint's child inside its sandbox (a bridge endpoint's veth goes from the host side).
    func removeMacvlanInterface(_ record: EndpointRecord, in sandbox: Sandbox) throws(NetworkError) {
        do {
            let guest = try NetlinkSocket.open(in: sandbox.namespace)
            try guest.deleteLink(named: record.interface)
        } catch where error.errno?.meansAlreadyGone == true {
        } catch {
            throw NetworkError(wrapping: error)
        }
    }

    /// Reserves `--aux-address` entries in the network's pool, so IPAM never hands them out (owner `aux:NAME`).
    func reserveAuxiliaryAddresses(_ metadata: NetworkMetadata?, network: String, transaction: inout Transaction)
        throws
    {
        let ipam = ipam
        for (key, text) in (metadata?.auxiliaryAddresses ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let address = IPv4Address(text) else { continue }
            let reserved = try ipam.allocate(in: network, owner: Self.auxiliaryOwnerPrefix + key, requested: address)
            transaction.onRollback("release aux address \(reserved)") { try ipam.release(reserved, in: network) }
        }
    }

    /// Returns network `name`'s aux addresses to its pool (before the pool goes).
    func releaseAuxiliaryAddresses(network name: String) {
        guard let pool = try? ipam.pool(named: name) else { return }
        for (address, owner) in pool.allocations where owner.hasPrefix(Self.auxiliaryOwnerPrefix) {
            if let parsed = IPv4Address(address) { try? ipam.release(parsed, in: name) }
        }
    }

    /// The IPAM owner prefix of reserved aux addresses.
    static let auxiliaryOwnerPrefix = "aux:"
}
