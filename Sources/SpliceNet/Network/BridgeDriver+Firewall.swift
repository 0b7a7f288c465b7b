import Firewall
import NetlinkKit
import SystemKit

extension BridgeDriver {
    /// The firewall model for what the store holds: every network with `--iptables` on, with its ports (for
    /// `--icc=false`) and its endpoints' published ports.
    func firewallModel() throws(NetworkError) -> FirewallModel {
        let endpoints = try store.endpoints()
        var rules: [NetworkRules] = []
        var mappings: [PortMapping] = []
        for network in try store.networks() where network.options.firewall {
            let attached = endpoints.filter { $0.network == network.options.name }
            rules.append(try Self.rules(for: network, ports: attached.map(\.hostInterface)))
            mappings += attached.flatMap { Self.mappings(for: $0, bridge: network.options.bridge) }
        }
        return FirewallModel(networks: rules, portMappings: mappings)
    }

    /// The firewall's view of one network.
    static func rules(for network: NetworkRecord, ports: [String] = []) throws(NetworkError) -> NetworkRules {
        var rules = NetworkRules(name: network.options.name, bridge: network.options.bridge, subnet: network.subnet,
                                 masquerade: network.options.ipMasquerade,
                                 interContainer: network.options.interContainer, ports: ports,
                                 internal: network.metadata?.internal ?? false)
        rules.subnet6 = network.ipv6?.subnet
        rules.routedSubnet = network.options.routedSubnet
        rules.detached = network.options.isDetached
        return rules
    }

    /// Applies the model for the store's current content, registering `previous` as its undo.
    func applyFirewall(replacing previous: FirewallModel?, transaction: inout Transaction) throws(NetworkError) {
        let model = try firewallModel()
        if model == previous { return }
        let firewall = try firewall()
        do { try firewall.apply(model) } catch { throw NetworkError(.internal, "\(error)") }
        if let previous {
            transaction.onRollback("restore the previous firewall rules") { try firewall.apply(previous) }
        }
    }

    /// The firewall's map elements for an endpoint's published ports.
    static func mappings(for record: EndpointRecord, bridge: String) -> [PortMapping] {
        record.ports.compactMap { port in
            var hostAddress: IPv4Address?
            if let hostIP = port.hostIP {
                guard case .v4(let v4) = hostIP else { return nil }
                // 0.0.0.0 means every host address, as Docker spells it.
                hostAddress = v4.value == 0 ? nil : v4
            }
            var mapping = PortMapping(proto: port.proto == .udp ? .udp : .tcp, hostAddress: hostAddress,
                                      hostPort: port.hostPort, containerAddress: record.address,
                                      containerPort: port.containerPort, bridge: bridge)
            mapping.containerAddress6 = record.address6
            return mapping
        }
    }

}

extension BridgeDriver {
    /// Warnings about other tools' rules that stop Splice's forwarded traffic whatever Splice's own tables say:
    /// base chains on the forward hook with policy drop (Docker and ufw install them), and legacy iptables
    /// tables libnftables cannot see. The daemon prints these; the fix belongs to the chain's owner (for
    /// Docker: accept rules for Splice's bridges in `DOCKER-USER`).
    public func forwardingWarnings() throws(NetworkError) -> [String] {
        let state: FirewallState
        do { state = try firewall().current() } catch { throw NetworkError(.unavailable, "\(error)") }
        let chains = state.forwardDropChains.map { chain in
            "\(chain.family.rawValue) \(chain.table) \(chain.name) drops forwarded traffic by policy; Splice's"
                + " networks cannot reach other interfaces until its owner accepts them (for Docker: add accept"
                + " rules for the Splice bridges to DOCKER-USER)"
        }
        let legacy = state.legacyTables.map { "legacy iptables table \($0) is loaded; Splice cannot see its rules" }
        return chains + legacy
    }
}
