import NetlinkKit
import Testing

@Suite struct AddressFlagsTests {
    /// `ip -6 addr add 2001:db8::1/64 dev IF nodad` puts IFA_F_NODAD (0x02) in `ifa_flags`, the third byte of
    /// `struct ifaddrmsg`; without `nodad` that byte is 0.
    @Test func noDADSetsTheHeaderFlag() throws {
        let network = try #require(IPNetwork("2001:db8::1/64"))
        let plain = AddressMessages.add(network, to: InterfaceIndex(3))
        let nodad = AddressMessages.add(network, to: InterfaceIndex(3), skipDuplicateDetection: true)
        #expect(plain[2] == 0)
        #expect(nodad[2] == 0x02)
        #expect(Array(plain[3...]) == Array(nodad[3...]))
    }
}
