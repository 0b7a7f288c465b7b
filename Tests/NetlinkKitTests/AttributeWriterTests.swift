import Testing
@testable import NetlinkKit

@Suite struct AttributeWriterTests {
    @Test func stringAttributesAreNulTerminatedAndPadded() {
        var writer = AttributeWriter()
        writer.append(3, string: "br0")
        // len=8 (4 header + "br0\0"), type=3 (IFLA_IFNAME)
        #expect(writer.bytes == [0x08, 0x00, 0x03, 0x00, 0x62, 0x72, 0x30, 0x00])
    }

    @Test func nestedLengthCoversChildren() throws {
        var writer = AttributeWriter()
        writer.nest(18) { $0.append(1, string: "veth") }
        #expect(writer.bytes.count == 4 + 12)
        let parsed = try Attributes(writer.bytes)
        #expect(try parsed.nested(18)?.string(1) == "veth")
    }
}
