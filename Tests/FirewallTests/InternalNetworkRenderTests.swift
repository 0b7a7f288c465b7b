import Firewall
import Foundation
import SystemKit
import Testing

/// `network create --internal`: the forward chain drops whatever leaves the bridge for another interface, after
/// the bridge-internal accept, so its containers still reach each other and nothing else.
@Suite struct InternalNetworkRenderTests {
    @Test func internalBridgeDropsEgressAfterItsOwnTraffic() throws {
        let subnet = try #require(IPNetwork("10.209.0.0/24"))
        let closed = NetworkRules(name: "closed", bridge: "br-closed", subnet: subnet, masquerade: false,
                                  internal: true)
        let script = FirewallRenderer.script(for: FirewallModel(networks: [closed]))
        let own = try #require(script.range(of: "iifname \"br-closed\" oifname \"br-closed\" accept\n"))
        let egress = try #require(script.range(of: "iifname \"br-closed\" drop\n"))
        #expect(own.upperBound <= egress.lowerBound)
        #expect(!script.contains("ip saddr 10.209.0.0/24 oifname != \"br-closed\" masquerade"))
    }

    @Test func ordinaryBridgeHasNoEgressDrop() throws {
        let subnet = try #require(IPNetwork("10.208.0.0/24"))
        let open = NetworkRules(name: "open", bridge: "br-open", subnet: subnet)
        #expect(!FirewallRenderer.script(for: FirewallModel(networks: [open])).contains("iifname \"br-open\" drop\n"))
    }
}
