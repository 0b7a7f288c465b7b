import Glibc
import NetlinkKit
import SystemKit

extension BridgeDriver {
    /// Connects a sandbox to a network: an address from IPAM (or `address`), a veth pair whose peer is created
    /// directly in the sandbox as the next free `ethN`, the MAC derived from the address (`02:42:` + IPv4),
    /// the bridge's MTU, a default route via the gateway on the first network, a gratuitous ARP, and the
    /// published ports. One transaction: on failure nothing of it remains.
    @discardableResult
    public func connect(_ sandbox: Sandbox, to networkName: String, address: IPv4Address? = nil,
                        mac: MACAddress? = nil, publish: [PortSpec] = [], address6: IPv6Address? = nil)
        throws(NetworkError) -> EndpointRecord
    {
        if sandbox.mode == .host || { if case .container = sandbox.mode { return true } else { return false } }() {
            throw NetworkError(.invalidArgument, "sandbox \(sandbox.id) shares another namespace (\(sandbox.mode));"
                + " it cannot join network \(networkName)")
        }
        return try store.locked { () throws(NetworkError) -> EndpointRecord in
            guard let network = try store.network(named: networkName) else {
                throw NetworkError(.notFound, "network \(networkName) not found")
            }
            // Only names are read here, so a connect costs the same with 1,000 endpoints as with one.
            let keys = store.endpointKeys()
            if keys.contains(where: { $0.sandbox == sandbox.id && $0.network == networkName }) {
                throw NetworkError(.conflict, "sandbox \(sandbox.id) is already connected to \(networkName)")
            }
            let onNetwork = keys.filter { $0.network == networkName }.count
            if onNetwork >= Self.maximumEndpoints {
                throw NetworkError(.unavailable, "network \(networkName) has \(onNetwork) endpoints; a Linux bridge"
                    + " holds at most \(Self.maximumEndpoints) ports, so create another network")
            }
            // The first network with a gateway on the host gives the default route (a detached overlay has none:
            // `docker_gwbridge`, connected after it, gives it then).
            var isFirst = !network.options.isDetached
            for key in keys where isFirst && key.sandbox == sandbox.id {
                isFirst = try store.network(named: key.network)?.options.isDetached == true
            }
            let assigned6 = try allocateIPv6(on: network, requested: address6)
            if Self.isMacvlan(network) {
                return try transactionally { transaction in
                    try applyMacvlanConnect(sandbox, network: network, address: address, mac: mac, isFirst: isFirst,
                                            address6: assigned6, transaction: &transaction)
                }
            }
            let ports = publish.isEmpty ? [] : try resolvePorts(publish, network: network, existing: try store.endpoints())
            return try transactionally { transaction in
                try applyConnect(sandbox, network: network, address: address, mac: mac, ports: ports,
                                 isFirst: isFirst, address6: assigned6, transaction: &transaction)
            }
        }
    }

    private func applyConnect(_ sandbox: Sandbox, network: NetworkRecord, address: IPv4Address?,
                              mac requestedMAC: MACAddress?, ports: [ResolvedPort], isFirst: Bool,
                              address6: IPv6Address?, transaction: inout Transaction) throws
        -> EndpointRecord
    {
        let name = network.options.name
        let ipam = ipam
        let assigned = try ipam.allocate(in: name, owner: sandbox.id, requested: address)
        transaction.onRollback("release \(assigned)") { try ipam.release(assigned, in: name) }
        Failpoint.hit("endpoint.address")
        let guest = try NetlinkSocket.open(in: sandbox.namespace)
        let guestLinks = try guest.links().map(\.name)
        var slot = 0
        while guestLinks.contains("eth\(slot)") { slot += 1 }
        let interface = "eth\(slot)"
        let hostInterface = Self.hostInterfaceName(sandbox: sandbox.id, network: name)
        let mac = requestedMAC ?? MACAddress.docker(for: assigned)
        guard let bridge = try host.link(named: network.options.bridge) else {
            throw NetworkError(.notFound, "bridge \(network.options.bridge) of network \(name) is gone")
        }
        let mtu = bridge.mtu ?? network.options.mtu
        try host.addLink(LinkSpec(name: hostInterface,
                                  kind: .veth(peer: VethPeer(name: interface, namespace: sandbox.namespace, mtu: mtu,
                                                             address: mac)),
                                  mtu: mtu, master: bridge.index, up: true,
                                  alias: SpliceNetMark.endpoint(network: name, sandbox: sandbox.id)))
        let host = host
        transaction.onRollback("delete \(hostInterface)") { try? host.deleteLink(named: hostInterface) }
        Failpoint.hit("endpoint.veth")
        guard let link = try guest.link(named: interface) else {
            throw NetworkError(.internal, "\(interface) did not appear in sandbox \(sandbox.id)")
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
        announce(guest: guest, link: link, mac: mac, hostInterface: hostInterface)
        if network.options.firewall, !network.options.interContainer {
            let rules = try Self.rules(for: network)
            let firewall = try firewall()
            try firewall.addPorts([hostInterface], to: rules)
            transaction.onRollback("forget port \(hostInterface)") { try firewall.removePorts([hostInterface], from: rules) }
        }
        let record = EndpointRecord(network: name, sandbox: sandbox.id, interface: interface,
                                    hostInterface: hostInterface, address: assigned, mac: mac,
                                    gateway: isFirst ? network.gateway : nil, ports: ports, address6: address6)
        if !ports.isEmpty, network.options.firewall {
            let mappings = Self.mappings(for: record, bridge: network.options.bridge)
            let firewall = try firewall()
            try firewall.publish(mappings)
            transaction.onRollback("unpublish ports of \(sandbox.id)") { try firewall.unpublish(mappings) }
            Failpoint.hit("endpoint.publish")
        }
        try store.save(record)
        return record
    }

    /// Gratuitous ARP by the kernel (`arp_notify` + re-setting the MAC) once the bridge port forwards.
    private func announce(guest: NetlinkSocket, link: Link, mac: MACAddress, hostInterface: String) {
        host.waitUntilOperationallyUp(hostInterface)
        try? guest.setLink(link.index, LinkChange(address: mac), name: link.name)
    }

    /// Disconnects a sandbox: unpublishes its ports, deletes its veth pair, releases its address. Continues
    /// past failures and treats "already gone" as success.
    public func disconnect(_ sandbox: Sandbox, from networkName: String) throws(NetworkError) {
        try store.locked { () throws(NetworkError) in
            guard let record = try store.endpoint(sandbox: sandbox.id, network: networkName) else {
                throw NetworkError(.notFound, "sandbox \(sandbox.id) is not connected to \(networkName)")
            }
            if record.hostInterface.isEmpty { try removeMacvlanInterface(record, in: sandbox) }
            try teardown(record)
        }
    }

    /// Removes one endpoint's kernel objects, rules, address and record.
    func teardown(_ record: EndpointRecord) throws(NetworkError) {
        var failures: [String] = []
        let network = try store.network(named: record.network)
        do { try unpublishPorts(of: record, on: network) } catch { failures.append("\(error)") }
        if let network, network.options.firewall, !network.options.interContainer {
            do {
                try firewall().removePorts([record.hostInterface], from: Self.rules(for: network))
            } catch {
                failures.append("\(error)")
            }
        }
        // A macvlan endpoint has no host end: its child lives in the sandbox (`removeMacvlanInterface`).
        if !record.hostInterface.isEmpty {
            do { try host.deleteLink(named: record.hostInterface) } catch where error.errno?.meansAlreadyGone == true {
            } catch {
                failures.append("\(error)")
            }
            Failpoint.hit("endpoint.unlink")
        }
        do { try ipam.release(record.address, in: record.network) } catch { failures.append("\(error)") }
        do { try store.removeEndpoint(sandbox: record.sandbox, network: record.network) } catch {
            failures.append("\(error)")
        }
        if !failures.isEmpty {
            throw NetworkError(.internal, "disconnecting \(record.sandbox) from \(record.network): "
                + failures.joined(separator: "; "))
        }
    }

    /// The host end's name: `vsp` + a hash of (sandbox, network), stable and unique per endpoint.
    static func hostInterfaceName(sandbox: String, network: String) -> String {
        InterfaceName.hashed(prefix: "vsp", key: "\(sandbox)@\(network)")
    }
}
