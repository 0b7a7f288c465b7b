// How Splice's rules work, and what they cannot do.
//
// Everything lives in Splice's own tables: `table inet splice` (forward filter), `table ip splice-nat` (DNAT through
// maps, masquerade) and, only when a network has --icc=false, `table bridge splice` (layer-2 isolation). Every
// change is one nft script applied with one nft_run_cmd_from_buffer call, which libnftables sends as one netlink
// batch: the kernel applies all of it or none of it. `apply` first creates-then-deletes each of Splice's tables
// (`table inet splice {}` + `delete table inet splice`), the only idiom that deletes a table whether or not it
// exists on nft 1.0.6 (`destroy table` needs nft 1.0.8 and Linux 6.3), then declares the new tables.
//
// Forward filter, per network, as Docker does it: established/related accepted; DNATed (published) traffic accepted,
// also from another Splice network through a host address; bridge to other Splice bridge dropped (Docker's
// ISOLATION chains); bridge to itself accepted or dropped (--icc); anything else entering a bridge dropped, so a
// sandbox is reached only through a published port or as a reply (Docker's DOCKER chain + FORWARD policy, scoped
// to Splice's bridges instead of a host-wide policy); traffic leaving a bridge is accepted (policy accept).
//
// Published ports are kernel DNAT through four maps (tcp/udp x specific host address/every host address), so any
// number of mappings is a constant 4 rules plus map elements; `publish`/`unpublish` only add or delete elements.
// The maps are consulted for destinations of type local (`fib daddr type local`): from other hosts (prerouting),
// from the host itself including 127.0.0.1 (output hook), and from sandboxes through any host address (hairpin).
// Host -> 127.0.0.1 -> sandbox needs `net.ipv4.conf.<bridge>.route_localnet=1`, which the caller sets on each
// bridge (NetlinkKit: `LinkChange(ipv4: [.routeLocalnet: 1])`); the DNATed 127.0.0.0/8 source is masqueraded to
// the bridge address. Sandbox -> host address -> sibling is masqueraded too, so the reply comes back through the
// host instead of going straight to the sibling, which would not recognise it.
//
// br_netfilter: it is built into the development kernel (CONFIG_BRIDGE_NETFILTER=y) and every new network
// namespace starts with net.bridge.bridge-nf-call-iptables=1, so bridged IPv4/IPv6 between two ports of one bridge
// does pass the inet forward hook, with iifname == oifname == the bridge (what Docker's `-i docker0 -o docker0`
// rules rely on). Where br_netfilter is not loaded, or the sysctl is 0 (the per-bridge nf_call_iptables option can
// only add to the sysctl, never subtract), that rule sees nothing. So --icc=false is enforced twice:
//   1. `iifname B oifname B drop` in the inet forward chain (effective whenever br_netfilter is);
//   2. `table bridge splice`: the network's ports (NetworkRules.ports, kept current with Firewall.addPorts) in the
//      set `isolated-ports`, whose IPv4/IPv6 frames are dropped in the bridge forward hook, with or without
//      br_netfilter. `meta ibrname B` would not need port names, but this kernel lacks CONFIG_NFT_BRIDGE_META
//      ("Operation not supported"), and `ct` in the bridge family needs nf_conntrack_bridge, also absent (EPROTO).
// With br_netfilter, a DNATed packet whose new destination is on the bridge it came from is *bridged* ("bridged
// DNAT"), so hairpin traffic crosses the bridge forward hook between two isolated ports and (2) would drop it.
// Hence the inet prerouting chain (after dstnat) marks DNATed packets from --icc=false bridges with bit
// `hairpinMark` of the packet mark, and the bridge chain lets marked frames through, clearing the bit. The bit is
// set only on DNATed packets that entered an --icc=false bridge; a host whose policy routing tests that bit would
// see it on those packets.
//
// DROP policies of other tools: netfilter runs every base chain registered on a hook, in priority order; an
// `accept` only ends the chain that said it, while a `drop` anywhere is final. So when another table's forward base
// chain has policy drop (Docker sets `iptables -P FORWARD DROP` when it turns on ip_forward itself; ufw's default
// forward policy is drop; a final drop or reject rule has the same effect), no rule in Splice's tables can let
// Splice's forwarded traffic through: masquerade, published ports from other hosts, hairpin, cross-network and
// (with br_netfilter) even traffic between two sandboxes on one bridge die there. Host -> published port
// (127.0.0.1 or a host address) keeps working: output and input hooks, no forward. Ways around it considered and
// rejected: a bridge's nf_call_iptables=0 does not override the sysctl (tried: bridged traffic still meets the
// foreign chain); a flowtable needs each connection's first packets accepted by every forward chain; netdev `fwd`
// skips conntrack and NAT; changing the sysctl would change other tools' bridges too. So Splice does
// not fight the other table and never edits it: `Firewall.current()` reports such chains (`forwardDropChains`,
// for everything libnftables sees: nft and iptables-nft tables) and the legacy x_tables tables loaded in the
// namespace (`legacyTables`; libnftables cannot read their policies), so the daemon can name the blocking chain and
// the fix, which belongs to that chain's owner: for Docker, accept rules for Splice's bridges in its documented
// `DOCKER-USER` chain, or net.ipv4.ip_forward=1 before Docker starts (Docker sets the DROP policy only when it
// turns forwarding on itself); for ufw, `ufw route allow` rules for the bridges; for firewalld, the bridges in a
// zone or policy that forwards.

/// Renders a `FirewallModel` (or a change to it) as one nftables script, applied as one atomic transaction.
public enum FirewallRenderer {
    /// Splice's filter table, family `inet`.
    public static let filterTable = "splice"
    /// Splice's NAT table, family `ip`.
    public static let natTable = "splice-nat"
    /// Splice's layer-2 isolation table, family `bridge` (present only while a network has --icc=false).
    public static let bridgeTable = "splice"
    /// The set in the bridge table holding the ports of --icc=false networks.
    public static let isolatedPortsSet = "isolated-ports"
    /// The packet-mark bit that lets DNATed (hairpin) frames through layer-2 isolation.
    public static let hairpinMark: UInt32 = 0x2000_0000
    /// The protocols that have port maps, in rendering order.
    static let protocols: [PortMapping.`Protocol`] = [.tcp, .udp]

    /// The script that deletes Splice's tables if present, and nothing else.
    public static let removalScript = """
        table inet \(filterTable) {}
        delete table inet \(filterTable)
        table ip \(natTable) {}
        delete table ip \(natTable)
        table bridge \(bridgeTable) {}
        delete table bridge \(bridgeTable)

        """

    /// The map holding mappings of `proto`, keyed by host address and port (`specific`) or by port only.
    public static func mapName(_ proto: PortMapping.`Protocol`, specificAddress: Bool) -> String {
        specificAddress ? "\(proto.rawValue)-ports" : "\(proto.rawValue)-any-ports"
    }

    /// The whole ruleset for `model`, replacing Splice's tables; for an empty model, `removalScript`.
    /// The model should have passed `validate()`; the renderer does not check it.
    public static func script(for model: FirewallModel) -> String {
        var out = removalScript
        if model.isEmpty { return out }
        renderFilterTable(model, into: &out)
        if model.networks.contains(where: { !$0.interContainer }) { renderBridgeTable(model, into: &out) }
        renderNATTable(model, into: &out)
        out += elementCommands(verb: "add", mappings: model.portMappings)
        let ports = model.networks.filter { !$0.interContainer }.flatMap(\.ports)
        out += portCommand(verb: "add", ports: ports)
        return out
    }

    /// Adds map elements for `mappings` (an identical element is left alone; another value on the same key fails
    /// with EEXIST).
    public static func publishScript(_ mappings: [PortMapping]) -> String {
        elementCommands(verb: "add", mappings: mappings)
    }

    /// Deletes exactly these mappings: each element is added and then deleted in the same transaction, so a missing
    /// element is no error, and a different mapping on the same host port fails with EEXIST instead of being removed.
    public static func unpublishScript(_ mappings: [PortMapping]) -> String {
        elementCommands(verb: "add", mappings: mappings) + elementCommands(verb: "delete", mappings: mappings)
    }

    /// Adds bridge ports to the layer-2 isolation set.
    public static func addPortsScript(_ ports: [String]) -> String { portCommand(verb: "add", ports: ports) }

    /// Removes bridge ports from the layer-2 isolation set (add then delete, so a missing port is no error).
    public static func removePortsScript(_ ports: [String]) -> String {
        portCommand(verb: "add", ports: ports) + portCommand(verb: "delete", ports: ports)
    }

    // MARK: - Tables

    private static func renderFilterTable(_ model: FirewallModel, into out: inout String) {
        out += "table inet \(filterTable) {\n"
        out += "\tchain forward {\n"
        out += "\t\ttype filter hook forward priority filter; policy accept;\n"
        out += "\t\tct state established,related accept\n"
        out += "\t\tct status dnat accept\n"
        let allBridges = setLiteral(model.networks.map { quoted($0.bridge) })
        for network in model.networks {
            // Other hosts' containers of a routed network come in through the underlay, not a local bridge.
            guard let routed = network.routedSubnet else { continue }
            out += "\t\tiifname != \(allBridges) ip saddr \(routed) oifname \(quoted(network.bridge)) accept\n"
        }
        for network in model.networks {
            let bridge = quoted(network.bridge)
            let others = model.networks.filter { $0.bridge != network.bridge }.map { quoted($0.bridge) }
            if !others.isEmpty { out += "\t\tiifname \(bridge) oifname \(setLiteral(others)) drop\n" }
            out += "\t\tiifname \(bridge) oifname \(bridge) \(network.interContainer ? "accept" : "drop")\n"
            if network.internal, let routed = network.routedSubnet {
                out += "\t\tiifname \(bridge) ip daddr != \(routed) drop\n"
            } else if network.internal {
                out += "\t\tiifname \(bridge) drop\n"
            }
            out += "\t\toifname \(bridge) drop\n"
        }
        out += "\t}\n"
        renderIPv6Masquerade(model, into: &out)
        renderIPv6Publishing(model, into: &out)
        let isolated = model.networks.filter { !$0.interContainer }.map { quoted($0.bridge) }
        if !isolated.isEmpty {
            out += "\n\tchain prerouting {\n"
            out += "\t\ttype filter hook prerouting priority dstnat + 10; policy accept;\n"
            out += "\t\tiifname \(setLiteral(isolated)) ct status dnat meta mark set meta mark | \(hex(hairpinMark))\n"
            out += "\t}\n"
        }
        out += "}\n"
    }

    /// IPv6 masquerade of `--ipv6` networks, as a NAT chain in the inet table (the `ip` NAT table cannot match
    /// IPv6), present only while such a network masquerades.
    private static func renderIPv6Masquerade(_ model: FirewallModel, into out: inout String) {
        let masqueraded = model.networks.filter { $0.subnet6 != nil && $0.masquerade && !$0.internal }
        guard !masqueraded.isEmpty else { return }
        out += "\n\tchain postrouting6 {\n"
        out += "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
        for network in masqueraded {
            guard let subnet = network.subnet6 else { continue }
            out += "\t\tip6 saddr \(subnet) oifname != \(quoted(network.bridge)) masquerade\n"
        }
        out += "\t}\n"
    }

    /// The IPv6 side of published ports (only while an `--ipv6` network exists): maps from host port to the
    /// container's IPv6 address and port, and NAT chains in the inet table that DNAT IPv6 traffic to the host's
    /// own addresses through them.
    private static func renderIPv6Publishing(_ model: FirewallModel, into out: inout String) {
        guard model.networks.contains(where: { $0.subnet6 != nil }) else { return }
        for proto in Self.protocols {
            out += "\n\tmap \(ipv6MapName(proto)) {\n"
            out += "\t\ttype inet_service : ipv6_addr . inet_service\n"
            out += "\t}\n"
        }
        out += "\n\tchain prerouting6 {\n"
        out += "\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
        out += "\t\tmeta nfproto ipv6 fib daddr type local jump published6\n"
        out += "\t}\n"
        out += "\n\tchain output6 {\n"
        out += "\t\ttype nat hook output priority -100; policy accept;\n"
        out += "\t\tmeta nfproto ipv6 fib daddr type local jump published6\n"
        out += "\t}\n"
        out += "\n\tchain published6 {\n"
        if let range = model.portRange {
            out += "\t\tmeta l4proto { tcp, udp } th dport != \(range.lowerBound)-\(range.upperBound) return\n"
        }
        for proto in Self.protocols {
            out += "\t\tdnat ip6 to \(proto.rawValue) dport map @\(ipv6MapName(proto))\n"
        }
        out += "\t}\n"
    }

    /// The inet table's map of IPv6 targets for `proto`.
    public static func ipv6MapName(_ proto: PortMapping.`Protocol`) -> String { "\(proto.rawValue)6-any-ports" }

    private static func renderBridgeTable(_ model: FirewallModel, into out: inout String) {
        out += "table bridge \(bridgeTable) {\n"
        out += "\tset \(isolatedPortsSet) {\n"
        out += "\t\ttype ifname\n"
        out += "\t}\n\n"
        out += "\tchain forward {\n"
        out += "\t\ttype filter hook forward priority filter; policy accept;\n"
        out += "\t\tmeta mark & \(hex(hairpinMark)) == \(hex(hairpinMark)) "
            + "meta mark set meta mark & \(hex(~hairpinMark)) accept\n"
        out += "\t\tiifname @\(isolatedPortsSet) ether type { ip, ip6 } drop\n"
        out += "\t\toifname @\(isolatedPortsSet) ether type { ip, ip6 } drop\n"
        out += "\t}\n"
        out += "}\n"
    }

    private static func renderNATTable(_ model: FirewallModel, into out: inout String) {
        out += "table ip \(natTable) {\n"
        for proto in Self.protocols {
            out += "\tmap \(mapName(proto, specificAddress: true)) {\n"
            out += "\t\ttype ipv4_addr . inet_service : ipv4_addr . inet_service\n"
            out += "\t}\n\n"
            out += "\tmap \(mapName(proto, specificAddress: false)) {\n"
            out += "\t\ttype inet_service : ipv4_addr . inet_service\n"
            out += "\t}\n\n"
        }
        out += "\tchain prerouting {\n"
        out += "\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
        out += "\t\tfib daddr type local jump published\n"
        out += "\t}\n\n"
        out += "\tchain output {\n"
        out += "\t\ttype nat hook output priority -100; policy accept;\n"
        out += "\t\tfib daddr type local jump published\n"
        out += "\t}\n\n"
        out += "\tchain published {\n"
        if let range = model.portRange {
            out += "\t\tmeta l4proto { tcp, udp } th dport != \(range.lowerBound)-\(range.upperBound) return\n"
        }
        for proto in Self.protocols {
            let name = proto.rawValue
            out += "\t\tdnat ip to ip daddr . \(name) dport map @\(mapName(proto, specificAddress: true))\n"
            out += "\t\tdnat ip to \(name) dport map @\(mapName(proto, specificAddress: false))\n"
        }
        out += "\t}\n\n"
        out += "\tchain postrouting {\n"
        out += "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
        let bridges = model.networks.map { quoted($0.bridge) }
        // A detached network's traffic is only ever bridged (with br_netfilter it still passes here, out of its
        // own bridge): no other network's masquerade, whose subnet may be the same, touches it.
        let detached = model.networks.filter(\.detached).map { quoted($0.bridge) }
        if !detached.isEmpty { out += "\t\toifname \(setLiteral(detached)) accept\n" }
        out += "\t\tct status dnat ip saddr 127.0.0.0/8 oifname \(setLiteral(bridges)) masquerade\n"
        for network in model.networks where !network.detached {
            out += "\t\tct status dnat ip saddr \(network.subnet) oifname \(quoted(network.bridge)) masquerade\n"
            if network.masquerade, let routed = network.routedSubnet {
                out += "\t\tip saddr \(network.subnet) ip daddr != \(routed) oifname != \(quoted(network.bridge))"
                    + " masquerade\n"
            } else if network.masquerade {
                out += "\t\tip saddr \(network.subnet) oifname != \(quoted(network.bridge)) masquerade\n"
            }
        }
        out += "\t}\n"
        out += "}\n"
    }

    // MARK: - Elements

    private static func elementCommands(verb: String, mappings: [PortMapping]) -> String {
        var out = ""
        for proto in Self.protocols {
            for specific in [true, false] {
                let selected = mappings.filter { $0.proto == proto && ($0.hostAddress != nil) == specific }
                if selected.isEmpty { continue }
                out += "\(verb) element ip \(natTable) \(mapName(proto, specificAddress: specific)) { "
                var first = true
                for mapping in selected {
                    if !first { out += ", " }
                    first = false
                    out += element(mapping, withValue: verb == "add")
                }
                out += " }\n"
            }
            let six = mappings.filter { $0.proto == proto && $0.hostAddress == nil && $0.containerAddress6 != nil }
            if six.isEmpty { continue }
            out += "\(verb) element inet \(filterTable) \(ipv6MapName(proto)) { "
            out += six.map { mapping in
                var text = "\(mapping.hostPort)"
                if verb == "add", let address = mapping.containerAddress6 {
                    text += " comment \(quoted(mapping.bridge)) : \(address) . \(mapping.containerPort)"
                }
                return text
            }.joined(separator: ", ")
            out += " }\n"
        }
        return out
    }

    private static func element(_ mapping: PortMapping, withValue: Bool) -> String {
        var text = mapping.hostAddress.map { "\($0) . \(mapping.hostPort)" } ?? "\(mapping.hostPort)"
        if withValue {
            text += " comment \(quoted(mapping.bridge)) : \(mapping.containerAddress) . \(mapping.containerPort)"
        }
        return text
    }

    private static func portCommand(verb: String, ports: [String]) -> String {
        if ports.isEmpty { return "" }
        let names = ports.map(quoted).joined(separator: ", ")
        return "\(verb) element bridge \(bridgeTable) \(isolatedPortsSet) { \(names) }\n"
    }

    // MARK: - Text

    private static func quoted(_ name: String) -> String { "\"\(name)\"" }

    private static func setLiteral(_ items: [String]) -> String {
        items.count == 1 ? items[0] : "{ \(items.joined(separator: ", ")) }"
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
