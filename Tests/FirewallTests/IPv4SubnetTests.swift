import Firewall
import Testing

/// Parsing and arithmetic of the small IPv4 types.
@Suite("IPv4Subnet")
struct IPv4SubnetTests {
    /// Dotted quads parse strictly and print back.
    @Test func addresses() throws {
        #expect(try IPv4Subnet.Address("10.0.0.2").value == 0x0a00_0002)
        #expect(try IPv4Subnet.Address("255.255.255.255").description == "255.255.255.255")
        #expect(IPv4Subnet.Address(192, 0, 2, 1).bytes == [192, 0, 2, 1])
        #expect(IPv4Subnet.Address.loopback.description == "127.0.0.1")
        for bad in ["10.0.0", "10.0.0.256", "10.0.0.1 ", "", "::1", "10.0.0.1/24"] {
            #expect(throws: FirewallError.self, "\(bad)") { try IPv4Subnet.Address(bad) }
        }
    }

    /// Subnets need a prefix of 0 to 32 and no host bits.
    @Test func subnets() throws {
        let subnet = try IPv4Subnet("172.18.0.0/16")
        #expect(subnet.description == "172.18.0.0/16")
        #expect(subnet.mask == 0xffff_0000)
        #expect(try IPv4Subnet("0.0.0.0/0").mask == 0)
        #expect(try IPv4Subnet("10.0.0.7/32").prefixLength == 32)
        #expect(throws: FirewallError.invalidModel("10.0.0.5/24 has host bits set; the network is 10.0.0.0/24")) {
            try IPv4Subnet("10.0.0.5/24")
        }
        for bad in ["10.0.0.0/33", "10.0.0.0", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/24/1"] {
            #expect(throws: FirewallError.self, "\(bad)") { try IPv4Subnet(bad) }
        }
    }

    /// Membership and overlap.
    @Test func containsAndOverlaps() throws {
        let subnet = try IPv4Subnet("10.10.0.0/24")
        #expect(subnet.contains(IPv4Subnet.Address(10, 10, 0, 255)))
        #expect(!subnet.contains(IPv4Subnet.Address(10, 10, 1, 0)))
        #expect(subnet.overlaps(try IPv4Subnet("10.0.0.0/8")))
        #expect(try IPv4Subnet("10.0.0.0/8").overlaps(subnet))
        #expect(!subnet.overlaps(try IPv4Subnet("10.10.1.0/24")))
    }
}
