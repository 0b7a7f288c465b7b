import Firewall
import NetlinkKit
import SystemKit

extension BridgeDriver {
    /// Reconciles the state directory with the kernel after a crash, keeping the endpoints and sandboxes of
    /// `keeping` (the containers that run): endpoints and pinned sandboxes of anyone else are removed, then what an
    /// endpoint cut between its first kernel object and its record left (an endpoint's record is saved last): host
    /// interfaces carrying an endpoint mark without a record, addresses allocated to a sandbox with no endpoint on
    /// that network, published port map elements and isolated bridge ports no endpoint owns. Returns what was
    /// removed, one line each; failures are skipped (the next reconciliation retries them).
    @discardableResult
    public func removeOrphans(keeping: Set<String>, sandboxes: SandboxFactory) -> [String] {
        var removed: [String] = []
        try? store.locked { () throws(NetworkError) in
            for endpoint in (try? store.endpoints()) ?? [] where !keeping.contains(endpoint.sandbox) {
                if endpoint.hostInterface.isEmpty,
                   let sandbox = try? sandboxes.open(id: endpoint.sandbox, mode: .none)
                {
                    try? removeMacvlanInterface(endpoint, in: sandbox)
                }
                try? teardown(endpoint)
                removed.append("endpoint \(endpoint.sandbox)@\(endpoint.network)")
            }
            for id in sandboxes.pinnedIDs() where !keeping.contains(id) {
                if (try? NetworkNamespace.delete(pinnedAt: sandboxes.path(of: id))) != nil {
                    removed.append("sandbox \(id)")
                }
            }
            let endpoints = (try? store.endpoints()) ?? []
            let owned = Set(endpoints.map { "\($0.sandbox)@\($0.network)" })
            removed += removeUnownedLinks(owned: owned)
            removed += releaseUnownedAddresses(owned: owned)
            removed += removeUnrecordedNetworks()
            removed += removeUnownedFirewallEntries(endpoints)
        }
        return removed
    }

    /// What a network create or removal cut by a crash left: IPAM pools and bridges marked
    /// `splice:net network=N` (no sandbox) of networks without a record. The pool goes with its allocations.
    private func removeUnrecordedNetworks() -> [String] {
        guard let records = try? store.networks() else { return [] }
        let names = Set(records.map(\.options.name))
        var removed: [String] = []
        for pool in (try? ipam.pools()) ?? [] where !names.contains(pool.name) {
            removeLeftoverPool(of: pool.name)
            removed.append("address pool of \(pool.name)")
        }
        for link in (try? host.links()) ?? [] {
            guard let alias = link.alias, alias.hasPrefix(SpliceNetMark.prefix + " network="),
                  Self.endpointKey(fromMark: alias) == nil,
                  !names.contains(String(alias.dropFirst(SpliceNetMark.prefix.count + " network=".count)))
            else { continue }
            if (try? host.deleteLink(link.index, name: link.name)) != nil { removed.append("bridge \(link.name)") }
        }
        return removed
    }

    /// Host interfaces marked as an endpoint (`splice:net network=N sandbox=S`) that no record names.
    private func removeUnownedLinks(owned: Set<String>) -> [String] {
        var removed: [String] = []
        for link in (try? host.links()) ?? [] {
            guard let alias = link.alias, alias.hasPrefix(SpliceNetMark.prefix + " network="),
                  let key = Self.endpointKey(fromMark: alias), !owned.contains(key)
            else { continue }
            if (try? host.deleteLink(link.index, name: link.name)) != nil { removed.append("link \(link.name)") }
        }
        return removed
    }

    /// `sandbox@network` from an endpoint mark; nil for a network's own mark (no sandbox).
    static func endpointKey(fromMark mark: String) -> String? {
        var network: Substring?, sandbox: Substring?
        for field in mark.split(separator: " ") {
            if field.hasPrefix("network=") { network = field.dropFirst("network=".count) }
            if field.hasPrefix("sandbox=") { sandbox = field.dropFirst("sandbox=".count) }
        }
        guard let network, let sandbox else { return nil }
        return "\(sandbox)@\(network)"
    }

    /// IPAM addresses whose owner has no endpoint on the pool's network (auxiliary reservations are kept).
    private func releaseUnownedAddresses(owned: Set<String>) -> [String] {
        var removed: [String] = []
        for pool in (try? ipam.pools()) ?? [] {
            for (text, owner) in pool.allocations where !owner.hasPrefix(Self.auxiliaryOwnerPrefix)
                && !owned.contains("\(owner)@\(pool.name)")
            {
                guard let address = IPv4Address(text) else { continue }
                if (try? ipam.release(address, in: pool.name)) != nil {
                    removed.append("address \(text) of \(owner) on \(pool.name)")
                }
            }
        }
        return removed
    }

    /// The rules of what the store holds, applied whole (a create or removal cut between the record and the
    /// rules left them apart); if that fails, port map elements on host keys no endpoint publishes and isolated
    /// bridge ports no endpoint has, one by one.
    private func removeUnownedFirewallEntries(_ endpoints: [EndpointRecord]) -> [String] {
        let networks = (try? store.networks()) ?? []
        // Without a network using the firewall, libnftables is not even opened (`--iptables=false`).
        guard networks.contains(where: { $0.options.firewall }), let firewall = try? firewall(),
              let current = try? firewall.current()
        else { return [] }
        var rebuilt = Transaction()
        if (try? applyFirewall(replacing: nil, transaction: &rebuilt)) != nil {
            let after = (try? firewall.current()) ?? current
            return current.portMappings.filter { !after.portMappings.contains($0) }.map { "port \($0)" }
                + current.isolatedPorts.filter { !after.isolatedPorts.contains($0) }.map { "isolated port \($0)" }
        }
        var removed: [String] = []
        var published = Set<PortMapping.HostKey>()
        var bridges: [String: String] = [:]
        for network in networks { bridges[network.options.name] = network.options.bridge }
        for endpoint in endpoints {
            for mapping in Self.mappings(for: endpoint, bridge: bridges[endpoint.network] ?? "") {
                published.insert(mapping.hostKey)
            }
        }
        for mapping in current.portMappings where !published.contains(mapping.hostKey) {
            if (try? firewall.unpublish([mapping])) != nil { removed.append("port \(mapping)") }
        }
        let ports = Set(endpoints.map(\.hostInterface))
        for port in current.isolatedPorts where !ports.contains(port) {
            for network in networks where network.options.firewall
                && !network.options.interContainer
            {
                guard let rules = try? Self.rules(for: network) else { continue }
                if (try? firewall.removePorts([port], from: rules)) != nil {
                    removed.append("isolated port \(port)")
                    break
                }
            }
        }
        return removed
    }
}
