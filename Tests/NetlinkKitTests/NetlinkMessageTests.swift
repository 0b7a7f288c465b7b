import CLinuxShims
import Testing

@testable import NetlinkKit

/// `NetlinkMessage.split`/`encoded()` on captured datagrams, and every decoder's answer to malformed input.
@Suite struct NetlinkMessageTests {
    static let replyFixtures = ["link-dump", "link-peer-netns", "addr-dump", "route-dump", "route6-dump", "neigh-dump",
                                "fdb-dump", "error-extack", "error-exists"]

    @Test("captured datagrams split and re-encode to the same bytes", arguments: replyFixtures)
    func splitAndReencode(_ fixture: String) throws {
        for datagram in try Fixture("replies/\(fixture)").replyDatagrams {
            let messages = try NetlinkMessage.split(datagram)
            #expect(!messages.isEmpty)
            #expect(messages.flatMap { $0.encoded() } == datagram)
        }
    }

    @Test func linkDumpSpreadOverDatagramsEndsWithDone() throws {
        // `ip addr show` first dumps the links: the kernel filled three datagrams, then sent NLMSG_DONE alone.
        let datagrams = try Fixture("replies/addr-dump").replyDatagrams
        let dump = try datagrams.prefix(4).map { try NetlinkMessage.split($0) }
        #expect(dump.prefix(3).allSatisfy { $0.allSatisfy { $0.type == MessageType.newLink } })
        #expect(dump.prefix(3).joined().count == 6)
        #expect(dump.prefix(3).joined().allSatisfy { $0.flags & Flags.multi != 0 })
        #expect(dump[3].map(\.type) == [UInt16(NLMSG_DONE)])
    }

    @Test func headerFieldsAreDecoded() throws {
        let message = NetlinkMessage(type: 0x1234, flags: 0x0305, sequence: 0xdead_beef, portID: 77, payload: [1, 2, 3])
        let bytes = message.encoded()
        #expect(bytes.count == 20, "padded to four bytes")
        #expect(bytes[0..<4] == [19, 0, 0, 0], "nlmsg_len excludes the padding")
        let split = try NetlinkMessage.split(bytes)
        #expect(split == [message])
    }

    @Test func emptyDatagramHasNoMessages() throws {
        #expect(try NetlinkMessage.split([]).isEmpty)
    }

    @Test func truncatedDatagramIsMalformed() throws {
        let datagram = try #require(try Fixture("replies/link-dump").replyDatagrams.first { $0.count > 1000 })
        for cut in [17, 100, datagram.count / 2, datagram.count - 1] {
            let error = #expect(throws: NetlinkError.self) { try NetlinkMessage.split(Array(datagram.prefix(cut))) }
            guard case .malformed = error else {
                Issue.record("cut at \(cut): expected .malformed, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test func lengthShorterThanTheHeaderIsMalformed() throws {
        var bytes = NetlinkMessage(type: 16, flags: 0, sequence: 1, portID: 0, payload: []).encoded()
        bytes[0] = 8
        #expect(throws: NetlinkError.malformed(reason: "message length 8 overruns datagram of 16", offset: 0)) {
            try NetlinkMessage.split(bytes)
        }
    }

    @Test func lengthPastTheEndIsMalformedAtTheRightOffset() throws {
        let first = NetlinkMessage(type: 16, flags: 0, sequence: 1, portID: 0, payload: [0, 0, 0, 0]).encoded()
        var second = NetlinkMessage(type: 16, flags: 0, sequence: 1, portID: 0, payload: []).encoded()
        second[0] = 64
        let error = #expect(throws: NetlinkError.self) { try NetlinkMessage.split(first + second) }
        #expect(error == .malformed(reason: "message length 64 overruns datagram of 36", offset: 20))
    }

    @Test func trailingGarbageIsMalformed() throws {
        let message = NetlinkMessage(type: 16, flags: 0, sequence: 1, portID: 0, payload: []).encoded()
        let error = #expect(throws: NetlinkError.self) { try NetlinkMessage.split(message + [1, 2, 3, 4, 5]) }
        #expect(error == .malformed(reason: "trailing 5 bytes", offset: 16))
    }

    @Test func attributeLengthsAreChecked() throws {
        #expect(throws: NetlinkError.malformed(reason: "attribute 3 length 2", offset: 0)) {
            try Attributes([2, 0, 3, 0, 0, 0, 0, 0])
        }
        #expect(throws: NetlinkError.malformed(reason: "attribute 3 length 12", offset: 0)) {
            try Attributes([12, 0, 3, 0, 0x62, 0x72, 0x30, 0])
        }
        var writer = AttributeWriter()
        writer.append(1, UInt32(7))
        writer.nest(2) { $0.append(3, UInt32(9)) }
        var bytes = writer.bytes
        bytes[12] = 40  // the nested attribute's length now overruns its parent
        let outer = try Attributes(bytes)
        #expect(outer.integer(1, as: UInt32.self) == 7, "the outer level is intact")
        #expect(throws: NetlinkError.malformed(reason: "attribute 3 length 40", offset: 0)) { try outer.nested(2) }
    }

    @Test func nestedAttributesAreBoundedByTheirParent() throws {
        var writer = AttributeWriter()
        writer.nest(2) { $0.append(3, UInt32(9)) }
        writer.append(4, UInt32(1))
        var bytes = writer.bytes
        bytes[4] = 12  // the child claims to reach into its sibling
        let attributes = try Attributes(bytes)
        #expect(throws: NetlinkError.self) { try attributes.nested(2) }
    }

    @Test func shortFamilyHeadersAreMalformed() throws {
        #expect(throws: NetlinkError.malformed(reason: "short ifinfomsg", offset: 0)) { try Link(decoding: [0, 0, 0]) }
        #expect(throws: NetlinkError.malformed(reason: "short ifaddrmsg", offset: 0)) { try Address(decoding: [2]) }
        #expect(throws: NetlinkError.malformed(reason: "short rtmsg", offset: 0)) { try Route(decoding: [2, 0]) }
        #expect(throws: NetlinkError.malformed(reason: "short ndmsg", offset: 0)) { try Neighbour(decoding: [7]) }
    }

    @Test func truncatedPayloadsOfRealMessagesAreMalformed() throws {
        let messages = try Fixture("replies/link-dump").messages()
        let link = try #require(messages.first { $0.type == MessageType.newLink && $0.payload.count > 100 })
        // Cut inside an attribute: the attribute's length now runs past the end.
        let attributeStart = 16
        let firstLength = Int(link.payload[attributeStart]) | Int(link.payload[attributeStart + 1]) << 8
        let cut = Array(link.payload.prefix(attributeStart + firstLength - 1))
        let error = #expect(throws: NetlinkError.self) { try Link(decoding: cut) }
        guard case .malformed = error else {
            Issue.record("expected .malformed, got \(String(describing: error))")
            return
        }
    }

    @Test func addressWithoutAnAddressIsMalformed() throws {
        let payload = AddressMessages.dump(family: .inet)
        #expect(throws: NetlinkError.malformed(reason: "address without IFA_ADDRESS", offset: 8)) {
            try Address(decoding: payload)
        }
    }

    @Test func routeWithPrefixButNoDestinationIsMalformed() throws {
        var payload = RouteMessages.route(RouteSpec(gateway: try address("192.168.1.1")))
        payload[1] = 24
        #expect(throws: NetlinkError.malformed(reason: "route with prefix length 24 but no RTA_DST", offset: 12)) {
            try Route(decoding: payload)
        }
    }

    @Test func malformedErrorsDescribeTheirOffset() {
        let error = NetlinkError.malformed(reason: "short rtmsg", offset: 4)
        #expect(error.description == "malformed netlink reply at byte 4: short rtmsg")
        #expect(error.errno == nil)
    }
}
