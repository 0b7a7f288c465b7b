import Firewall
import Foundation
import SystemKit
import Testing

/// `--ipv6` networks: their IPv6 subnet is masqueraded out of other interfaces by a NAT chain in the inet table
/// (the `ip` NAT table cannot match IPv6); networks without IPv6, internal ones and `--ip-masq=false` ones get none.
@Suite struct IPv6MasqueradeRenderTests {
    @Test func ipv6SubnetIsMasqueradedInTheInetTable() throws {
        var rules = NetworkRules(name: "six", bridge: "br-six", subnet: try #require(IPNetwork("10.223.0.0/24")))
        let six = try #require(IPNetwork("fd00:223::/64"))
        rules.subnet6 = six
        let script = FirewallRenderer.script(for: FirewallModel(networks: [rules]))
        let expected = """
            \tchain postrouting6 {
            \t\ttype nat hook postrouting priority srcnat; policy accept;
            \t\tip6 saddr fd00:223::/64 oifname != "br-six" masquerade
            \t}

            """
        let table = try #require(script.range(of: "table inet splice {\n"))
        let chain = try #require(script.range(of: expected))
        #expect(table.upperBound <= chain.lowerBound)
    }

    @Test func noChainWithoutIPv6OrMasquerade() throws {
        let plain = NetworkRules(name: "four", bridge: "br-four", subnet: try #require(IPNetwork("10.1.0.0/24")))
        var closed = NetworkRules(name: "closed", bridge: "br-closed", subnet: try #require(IPNetwork("10.2.0.0/24")),
                                  masquerade: false, internal: true)
        let six = try #require(IPNetwork("fd00:2::/64"))
        closed.subnet6 = six
        #expect(!FirewallRenderer.script(for: FirewallModel(networks: [plain, closed])).contains("postrouting6"))
    }

    @Test func ipv6PublishingMapsOnlyWithAnIPv6Network() throws {
        var rules = NetworkRules(name: "six", bridge: "br-six", subnet: try #require(IPNetwork("10.223.0.0/24")))
        let six = try #require(IPNetwork("fd00:223::/64"))
        rules.subnet6 = six
        var mapping = PortMapping(hostPort: 8080, containerAddress: try #require(IPv4Address("10.223.0.2")),
                                  containerPort: 80, bridge: "br-six")
        mapping.containerAddress6 = try #require(IPv6Address("fd00:223::2"))
        let script = FirewallRenderer.script(for: FirewallModel(networks: [rules], portMappings: [mapping]))
        #expect(script.contains("\tmap tcp6-any-ports {\n\t\ttype inet_service : ipv6_addr . inet_service\n"))
        #expect(script.contains("\t\tmeta nfproto ipv6 fib daddr type local jump published6\n"))
        #expect(script.contains("\t\tdnat ip6 to tcp dport map @tcp6-any-ports\n"))
        #expect(script.contains(
            "add element inet splice tcp6-any-ports { 8080 comment \"br-six\" : fd00:223::2 . 80 }"))
        #expect(FirewallRenderer.unpublishScript([mapping])
            .contains("delete element inet splice tcp6-any-ports { 8080 }"))
        let plain = NetworkRules(name: "four", bridge: "br-four", subnet: try #require(IPNetwork("10.1.0.0/24")))
        #expect(!FirewallRenderer.script(for: FirewallModel(networks: [plain])).contains("published6"))
    }
}
