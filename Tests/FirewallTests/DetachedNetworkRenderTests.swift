import Firewall
import SystemKit
import Testing

/// A detached network (an overlay network whose subnet overlaps another local one; its bridge holds no host
/// address): the model accepts the overlap, and no masquerade rule, not even the other network's with the same
/// subnet, rewrites what it bridges.
@Suite struct DetachedNetworkRenderTests {
    @Test func overlapsOnlyWhenDetachedAndNeverMasqueraded() throws {
        let subnet = try #require(IPNetwork("10.215.0.0/24"))
        let red = NetworkRules(name: "red", bridge: "ov-red", subnet: subnet)
        var blue = NetworkRules(name: "blue", bridge: "ov-blue", subnet: subnet, masquerade: false)
        #expect(throws: FirewallError.self, "two attached networks may not overlap") {
            try FirewallModel(networks: [red, blue]).validate()
        }
        blue.detached = true
        try FirewallModel(networks: [red, blue]).validate()
        try FirewallModel(networks: [blue, red]).validate()

        let script = FirewallRenderer.script(for: FirewallModel(networks: [red, blue]))
        let exempt = try #require(script.range(of: "\t\toifname \"ov-blue\" accept\n"), "\(script)")
        let masquerade = try #require(script.range(of: "\t\tip saddr 10.215.0.0/24 oifname != \"ov-red\" masquerade\n"))
        #expect(exempt.upperBound <= masquerade.lowerBound, "the exemption comes before red's masquerade")
        #expect(!script.contains("oifname != \"ov-blue\" masquerade"), "blue masquerades nothing")
        #expect(!script.contains("ct status dnat ip saddr 10.215.0.0/24 oifname \"ov-blue\""))
        // Isolation between the two bridges is as between any two networks.
        #expect(script.contains("\t\tiifname \"ov-blue\" oifname \"ov-red\" drop\n"))
    }
}
