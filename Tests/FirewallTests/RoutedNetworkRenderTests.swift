import Firewall
import SystemKit
import Testing

/// The local side of a routed network (a bridge holding one host's part of the network's subnet): other hosts'
/// containers are forwarded in from the underlay, and traffic to the whole network keeps its source address.
@Suite struct RoutedNetworkRenderTests {
    @Test func sourcesInTheNetworkComeInAndKeepTheirAddresses() throws {
        let plain = NetworkRules(name: "splice0", bridge: "splice0", subnet: try #require(IPNetwork("172.17.0.0/16")))
        var routed = NetworkRules(name: "rt", bridge: "rt-0123456789ab",
                                  subnet: try #require(IPNetwork("10.220.1.0/24")))
        routed.routedSubnet = try #require(IPNetwork("10.220.0.0/16"))
        let script = FirewallRenderer.script(for: FirewallModel(networks: [plain, routed]))
        let accept = "\t\tiifname != { \"splice0\", \"rt-0123456789ab\" } ip saddr 10.220.0.0/16"
            + " oifname \"rt-0123456789ab\" accept\n"
        let acceptAt = try #require(script.range(of: accept), "\(script)")
        let dropAt = try #require(script.range(of: "\t\toifname \"rt-0123456789ab\" drop\n"))
        #expect(acceptAt.upperBound <= dropAt.lowerBound, "accepted before the bridge's drop")
        #expect(script.contains("\t\tip saddr 10.220.1.0/24 ip daddr != 10.220.0.0/16 oifname != \"rt-0123456789ab\""
            + " masquerade\n"))
        #expect(script.contains("\t\tip saddr 172.17.0.0/16 oifname != \"splice0\" masquerade\n"), "others unchanged")
    }

    @Test func anInternalRoutedNetworkReachesOnlyItself() throws {
        var routed = NetworkRules(name: "rt", bridge: "rt-0123456789ab",
                                  subnet: try #require(IPNetwork("10.220.1.0/24")), masquerade: false, internal: true)
        routed.routedSubnet = try #require(IPNetwork("10.220.0.0/16"))
        let script = FirewallRenderer.script(for: FirewallModel(networks: [routed]))
        #expect(script.contains("\t\tiifname \"rt-0123456789ab\" ip daddr != 10.220.0.0/16 drop\n"), "\(script)")
        #expect(!script.contains("\t\tiifname \"rt-0123456789ab\" drop\n"))
        #expect(!script.contains("ip saddr 10.220.1.0/24 ip daddr"), "no masquerade without --ip-masq")
    }
}
