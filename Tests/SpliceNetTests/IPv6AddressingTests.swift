import NetlinkKit
import Testing

@testable import SpliceNet

/// `--ipv6` networks hand out host numbers of the subnet from the low 64 bits, as Docker does (`::1` the gateway,
/// then `::2`, `::3`, …), carrying across byte boundaries.
@Suite struct IPv6AddressingTests {
    @Test func hostNumbersCountInTheLowBits() throws {
        let base = try #require(IPv6Address("fd00:223::")).bytes
        #expect(BridgeDriver.ipv6(base, plus: 2).description == "fd00:223::2")
        #expect(BridgeDriver.ipv6(base, plus: 0x100).description == "fd00:223::100")
        let edge = try #require(IPv6Address("fd00:1::ff")).bytes
        #expect(BridgeDriver.ipv6(edge, plus: 1).description == "fd00:1::100")
    }
}
