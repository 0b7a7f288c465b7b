import Logging
import SpliceCluster
import SpliceEngine
import SpliceNet
import SystemKit

/// Routed (host-gw) networks on this host: its own subnet leased from the store, a bridge network for it, and a
/// route to every other host's subnet through that host's advertised address, which must be on-link here.
extension ClusterAgent {
    /// Whether a local network's bridge is the local side of a global network (overlay or routed).
    static func isGlobalBridge(_ bridge: String, networkID: String) -> Bool {
        bridge == OverlayTunnel.bridgeName(networkID: networkID)
            || bridge == RoutedDriver.bridgeName(networkID: networkID)
    }

    /// The per-host size of a routed network (`-o splice.routed.host_prefix=N`, default /24).
    static func hostSubnetPicker(for subnet: IPNetwork, options: [String: String]) throws(HostSubnetPicker.Failure)
        -> HostSubnetPicker
    {
        let prefix = options[HostSubnetPicker.hostPrefixOption].flatMap { Int($0) }
            ?? HostSubnetPicker.defaultHostPrefix
        return try HostSubnetPicker(network: subnet, hostPrefix: prefix)
    }

    /// This host's part of routed network `global`: held already under the current lease, or leased now (its
    /// previous part first, as the local network remembers it).
    func hostSubnet(of global: ClusterNetwork, snapshot: ClusterSnapshot) async throws -> IPNetwork {
        let lease = try await currentLease()
        if let held = snapshot.hostSubnets(of: global.id).first(where: { $0.host == hostName }),
           snapshot.lease(ofHostSubnet: held.subnet, network: global.id) == lease.id
        {
            return held.subnet
        }
        var previous: IPNetwork?
        do { previous = try await network.networkRecords().first { $0.metadata?.id == global.id }?.subnet } catch {
            logger.warning("local networks not read; the subnet held before is not preferred",
                           metadata: ["network": "\(global.name)", "error": "\(error)"])
        }
        let picker = try Self.hostSubnetPicker(for: global.subnet, options: global.metadata.options)
        let subnet = try await store.hostSubnets.lease(in: global, picker: picker, host: hostName, lease: lease.id,
                                                       preferred: previous)
        logger.info("routed network subnet leased", metadata: ["network": "\(global.name)", "subnet": "\(subnet)"])
        return subnet
    }

    /// The local bridge network of routed network `global` for this host's part `subnet`: gateway its first
    /// address, the underlay's MTU (no encapsulation), masquerade to the outside unless `--internal`.
    func routedOptions(for global: ClusterNetwork, subnet: IPNetwork) -> BridgeNetworkOptions {
        let gateway = subnet.ipv4First.map { IPv4Address(value: $0 + 1) } ?? global.gateway
        var options = BridgeNetworkOptions(name: global.name, bridge: RoutedDriver.bridgeName(networkID: global.id),
                                           bridgeAddress: IPNetwork(address: .v4(gateway),
                                                                    prefixLength: Int(subnet.prefixLength)),
                                           subnet: subnet, mtu: advertise.mtu, interContainer: true,
                                           ipMasquerade: !global.metadata.internal)
        options.routedSubnet = global.subnet
        return options
    }

    /// Makes routed network `global` exist here and routes the other hosts' parts (those of `hosts`, which holds
    /// peers in their grace too) through their addresses; a peer not on-link is left out, with an error.
    func reconcileRouted(_ global: ClusterNetwork, snapshot: ClusterSnapshot, hosts: [String: IPv4Address]) async {
        do {
            let subnet = try await hostSubnet(of: global, snapshot: snapshot)
            try await network.ensureRoutedNetwork(routedOptions(for: global, subnet: subnet),
                                                  metadata: global.metadata)
            let peers = state.withLock { state in
                state.hostSubnets[global.id] = subnet
                var known = state.peerSubnets[global.id] ?? [:]
                for record in snapshot.hostSubnets(of: global.id) { known[record.host] = record.subnet }
                known = known.filter { $0.key != hostName && hosts[$0.key] != nil }
                state.peerSubnets[global.id] = known
                return known
            }
            var wanted: [IPNetwork: IPv4Address] = [:]
            var unreachable: [String] = []
            // Every peer host counts, whether it holds a part yet or not (the others lease theirs when they see
            // the network).
            for (peer, address) in hosts.sorted(by: { $0.key < $1.key }) where peer != hostName {
                if try await network.isOnLink(address) {
                    if let part = peers[peer] { wanted[part] = address }
                } else {
                    unreachable.append("\(peer) (\(address))")
                }
            }
            let before = state.withLock { $0.unreachable.updateValue(unreachable, forKey: global.name) } ?? []
            for peer in unreachable where !before.contains(peer) {
                let reason = "its address is not on a directly connected subnet of this host; routed networks need"
                    + " a shared L2 underlay (use overlay otherwise)"
                logger.error("routed network gets no route to a peer",
                             metadata: ["network": "\(global.name)", "peer": "\(peer)", "reason": "\(reason)"])
            }
            let changed = try await network.reconcileRoutes(in: global.subnet, to: wanted)
            if changed > 0 {
                logger.debug("routed network routes updated", metadata: ["network": "\(global.name)",
                                                                         "changes": "\(changed)"])
            }
        } catch {
            logger.error("routed network not set up here", metadata: ["network": "\(global.name)",
                                                                      "error": "\(error)"])
        }
    }

    /// Removes the local side of a routed network that left the store (when no container here uses it).
    func removeVanishedRouted(_ record: NetworkRecord, id: String) async {
        let name = record.options.name
        do {
            if try await network.removeRoutedNetwork(named: name, subnet: record.options.routedSubnet ?? record.subnet)
            {
                state.withLock {
                    _ = $0.global.remove(name)
                    $0.hostSubnets[id] = nil
                    $0.peerSubnets[id] = nil
                    $0.unreachable[name] = nil
                }
                logger.info("routed network removed here", metadata: ["network": "\(name)"])
            }
        } catch {
            logger.error("routed network not removed", metadata: ["network": "\(name)", "error": "\(error)"])
        }
    }

    /// The peers of routed network `name` that are not on-link here (empty when all are, or for other networks).
    func unreachablePeers(of name: String) -> [String] {
        state.withLock { $0.unreachable[name] ?? [] }
    }

    /// This host's part of routed network `id`, once leased.
    func hostSubnet(ofNetwork id: String) -> IPNetwork? {
        state.withLock { $0.hostSubnets[id] }
    }
}
