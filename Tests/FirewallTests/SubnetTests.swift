import Firewall
import SystemKit
import Testing

/// The address and network values the firewall takes (SystemKit's, as every module uses them) and the firewall's
/// own rule for subnets.
@Suite("Firewall addresses and subnets")
struct SubnetTests {
    /// Dotted quads parse strictly, print back and order numerically.
    @Test func addresses() throws {
        #expect(IPv4Address("10.0.0.2")?.value == 0x0a00_0002)
        #expect(IPv4Address("255.255.255.255")?.description == "255.255.255.255")
        #expect(IPv4Address(192, 0, 2, 1).bytes == [192, 0, 2, 1])
        #expect(IPv4Address.loopback.description == "127.0.0.1")
        #expect(IPv4Address(10, 0, 0, 1) < IPv4Address(10, 0, 0, 2))
        for bad in ["10.0.0", "10.0.0.256", "10.0.0.1 ", "", "::1", "10.0.0.1/24"] {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
    }

    /// Networks need a prefix no longer than the address; the firewall takes only IPv4 ones without host bits.
    @Test func subnets() throws {
        let subnet = try #require(IPNetwork("172.18.0.0/16"))
        #expect(subnet.description == "172.18.0.0/16")
        #expect(subnet.ipv4Mask == 0xffff_0000)
        #expect(subnet.isAligned)
        #expect(IPNetwork("0.0.0.0/0")?.ipv4Mask == 0)
        #expect(IPNetwork("10.0.0.7/32")?.prefixLength == 32)
        for bad in ["10.0.0.0/33", "10.0.0.0", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/24/1"] {
            #expect(IPNetwork(bad) == nil, "\(bad)")
        }
        let hostBits = try #require(IPNetwork("10.0.0.5/24"))
        #expect(throws: FirewallError.invalidModel("10.0.0.5/24 has host bits set; the network is 10.0.0.0/24")) {
            try FirewallModel(networks: [NetworkRules(name: "a", bridge: "br-a", subnet: hostBits)]).validate()
        }
        let six = try #require(IPNetwork("fd00::/64"))
        #expect(throws: FirewallError.invalidModel("subnet fd00::/64 of network \"a\" is not an IPv4 subnet")) {
            try FirewallModel(networks: [NetworkRules(name: "a", bridge: "br-a", subnet: six)]).validate()
        }
    }

    /// Membership and overlap.
    @Test func containsAndOverlaps() throws {
        let subnet = try #require(IPNetwork("10.10.0.0/24"))
        let wide = try #require(IPNetwork("10.0.0.0/8"))
        #expect(subnet.contains(.v4(IPv4Address(10, 10, 0, 255))))
        #expect(!subnet.contains(.v4(IPv4Address(10, 10, 1, 0))))
        #expect(subnet.overlaps(wide))
        #expect(wide.overlaps(subnet))
        #expect(!subnet.overlaps(try #require(IPNetwork("10.10.1.0/24"))))
    }
}
