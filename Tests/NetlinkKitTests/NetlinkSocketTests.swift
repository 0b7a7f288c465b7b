import CLinuxShims
import Glibc
import SystemKit
import Testing

@testable import NetlinkKit

/// `NetlinkSocket` against a recording transport: sequence numbers, reply checks, errors and dumps.
@Suite struct NetlinkSocketTests {
    static let br0 = InterfaceIndex(2)

    /// Replays captured reply datagrams to whatever request comes, restamped with its sequence number.
    static func replaying(_ datagrams: [[UInt8]], portID: UInt32 = 4242) -> RecordingTransport.Responder {
        { request in
            datagrams.map { datagram in
                ((try? NetlinkMessage.split(datagram)) ?? []).flatMap {
                    $0.restamped(sequence: request.sequence, portID: portID).encoded()
                }
            }
        }
    }

    @Test func sequenceNumbersIncreaseFromOne() throws {
        let transport = RecordingTransport()
        let socket = NetlinkSocket(transport: transport)
        try socket.setLink(Self.br0, LinkChange(up: true))
        try socket.deleteLink(Self.br0)
        try socket.addRoute(RouteSpec(gateway: try address("192.168.1.1")))
        let sent = transport.sentMessages
        #expect(sent.map(\.sequence) == [1, 2, 3])
        let requestAndAck = Flags.request | Flags.ack
        #expect(sent.allSatisfy { $0.portID == 0 && $0.flags & requestAndAck == requestAndAck })
        #expect(transport.sent.allSatisfy { $0.count % 4 == 0 })
    }

    @Test func replyWithAnotherSequenceIsRejected() throws {
        let transport = RecordingTransport { request in
            [Reply.ack(to: request.restamped(sequence: request.sequence + 5, portID: 0))]
        }
        let socket = NetlinkSocket(transport: transport)
        #expect(throws: NetlinkError.sequenceMismatch(expected: 1, received: 6)) {
            try socket.deleteLink(Self.br0)
        }
    }

    @Test func staleRepliesToEarlierRequestsAreSkipped() throws {
        let transport = RecordingTransport { request in
            let stale = request.restamped(sequence: request.sequence - 1, portID: 0)
            return [Reply.error(EEXIST, to: stale) + Reply.ack(to: request)]
        }
        try NetlinkSocket(transport: transport).deleteLink(Self.br0)
    }

    @Test func replyFromAnotherPortIsRejected() throws {
        let transport = RecordingTransport { request in [Reply.ack(to: request, portID: 999)] }
        #expect(throws: NetlinkError.sequenceMismatch(expected: 1, received: 1)) {
            try NetlinkSocket(transport: transport).deleteLink(Self.br0)
        }
    }

    @Test func kernelPortIDZeroIsAccepted() throws {
        let transport = RecordingTransport { request in [Reply.ack(to: request, portID: 0)] }
        try NetlinkSocket(transport: transport).deleteLink(Self.br0)
    }

    @Test func extendedAckTextFromTheRealKernelBecomesTheMessage() throws {
        // The kernel's refusal of `ip link set dev br0 mtu 70000`, with the whole request echoed (ip does not set
        // NETLINK_CAP_ACK) and then NLMSGERR_ATTR_MSG.
        let captured = try Fixture("replies/error-extack").replyDatagrams
        let error = try #require(captured.last)
        let transport = RecordingTransport(portID: 4242, respond: Self.replaying([error]))
        let socket = NetlinkSocket(transport: transport)
        let thrown = #expect(throws: NetlinkError.self) { try socket.setLink(Self.br0, LinkChange(mtu: 70000)) }
        #expect(thrown == .kernel(errno: .invalidArgument, operation: "change interface 2",
                                  message: "mtu greater than device maximum"))
        #expect(thrown?.description == "cannot change interface 2: mtu greater than device maximum (EINVAL)")
        #expect(thrown?.errno == .invalidArgument)
    }

    @Test("extended ACK text after a capped or a full echo", arguments: [true, false])
    func extendedAckTextWithAndWithoutCapping(capped: Bool) throws {
        let transport = RecordingTransport { request in
            [Reply.error(ENODEV, to: request, message: "Unknown ifindex", capped: capped)]
        }
        let socket = NetlinkSocket(transport: transport)
        #expect(throws: NetlinkError.kernel(errno: .noSuchDevice, operation: "op", message: "Unknown ifindex")) {
            try socket.execute(MessageType.deleteLink, payload: LinkMessages.delete(Self.br0), operation: "op")
        }
    }

    @Test func errorWithoutTextHasNoMessageAndReadsAsStrerror() throws {
        let captured = try Fixture("replies/error-exists").replyDatagrams
        let transport = RecordingTransport(respond: Self.replaying([try #require(captured.last)]))
        let socket = NetlinkSocket(transport: transport)
        let thrown = #expect(throws: NetlinkError.self) {
            try socket.execute(MessageType.newLink, flags: Flags.create | Flags.exclusive,
                               payload: LinkMessages.create(LinkSpec(name: "br0", kind: .bridge)), operation: "add br0")
        }
        #expect(thrown == .kernel(errno: .exists, operation: "add br0", message: nil))
        #expect(thrown?.description == "cannot add br0: file exists (EEXIST)")
    }

    @Test func linkErrorsAreExplained() throws {
        let exists = try #require(try Fixture("replies/error-exists").replyDatagrams.last)
        let socket = NetlinkSocket(transport: RecordingTransport(respond: Self.replaying([exists])))
        let thrown = #expect(throws: NetlinkError.self) { try socket.addLink(LinkSpec(name: "br0", kind: .bridge)) }
        #expect(thrown?.description
                == "cannot create bridge \"br0\": an interface with that name already exists (EEXIST)")

        let unsupported = RecordingTransport { request in
            [Reply.error(EOPNOTSUPP, to: request, message: "Unknown device type")]
        }
        let vlan = #expect(throws: NetlinkError.self) {
            try NetlinkSocket(transport: unsupported).addLink(LinkSpec(name: "br0.10", kind: .vlan(id: 10),
                                                                       parent: Self.br0))
        }
        #expect(vlan?.description
                == "cannot create vlan \"br0.10\": this kernel has no 802.1Q support (CONFIG_VLAN_8021Q) (EOPNOTSUPP)")
    }

    @Test func addressThatExistsIsExplained() throws {
        let transport = RecordingTransport { request in [Reply.error(EEXIST, to: request)] }
        let thrown = #expect(throws: NetlinkError.self) {
            try NetlinkSocket(transport: transport).addAddress(try network("10.0.0.1/24"), to: Self.br0, name: "br0")
        }
        #expect(thrown?.description
                == "cannot add 10.0.0.1/24 to \"br0\": the interface already has that address (EEXIST)")
    }

    @Test func invalidNamesFailBeforeAnythingIsSent() throws {
        let transport = RecordingTransport()
        let socket = NetlinkSocket(transport: transport)
        let long = #expect(throws: NetlinkError.self) {
            try socket.addLink(LinkSpec(name: "sixteen-chars-xx", kind: .bridge))
        }
        #expect(long == .kernel(errno: .invalidArgument, operation: "create bridge \"sixteen-chars-xx\"",
                                message: "interface name \"sixteen-chars-xx\" is 16 bytes; the limit is 15"))
        #expect(throws: NetlinkError.self) {
            try socket.addLink(LinkSpec(name: "v0", kind: .veth(peer: VethPeer(name: "has space"))))
        }
        #expect(throws: NetlinkError.self) { try socket.setLink(Self.br0, LinkChange(name: "")) }
        #expect(transport.sent.isEmpty)
        try socket.addLink(LinkSpec(name: "fifteen-chars-x", kind: .bridge))
        #expect(transport.sent.count == 1)
    }

    @Test func multiDatagramDumpIsCollectedUntilDone() throws {
        // The kernel's own link dump, three datagrams of two links each and NLMSG_DONE in a fourth.
        let captured = Array(try Fixture("replies/addr-dump").replyDatagrams.prefix(4))
        let transport = RecordingTransport(respond: Self.replaying(captured))
        let links = try NetlinkSocket(transport: transport).links()
        #expect(links.map(\.name) == ["lo", "br0", "veth1", "veth0", "mv0", "vx0"])
        #expect(links.map(\.index.rawValue) == [1, 2, 3, 4, 5, 6])
        let request = try #require(transport.sentMessages.first)
        #expect(request.flags == Flags.request | Flags.dump)
    }

    @Test func dumpFlaggedInterruptedEveryTimeThrowsAfterTheLastAttempt() throws {
        let links = Array(try Fixture("replies/addr-dump").replyDatagrams.prefix(3))
        let transport = RecordingTransport { request in
            var messages = links.flatMap { (try? NetlinkMessage.split($0)) ?? [] }
            messages[1].flags |= Flags.dumpInterrupted
            return [Reply.datagram(messages, answering: request), Reply.done(to: request)]
        }
        #expect(throws: NetlinkError.dumpInterrupted) { try NetlinkSocket(transport: transport).links() }
        #expect(transport.sentMessages.count == NetlinkSocket.dumpAttempts)
    }

    @Test func aDumpInterruptedOnceIsAskedAgain() throws {
        let captured = Array(try Fixture("replies/addr-dump").replyDatagrams.prefix(4))
        // The first answer is flagged as the kernel flags a dump that a concurrent change cut; the second is clean.
        let transport = RecordingTransport { request in
            Self.replaying(captured)(request).map { datagram in
                guard request.sequence == 1 else { return datagram }
                var messages = (try? NetlinkMessage.split(datagram)) ?? []
                for index in messages.indices { messages[index].flags |= Flags.dumpInterrupted }
                return messages.flatMap { $0.encoded() }
            }
        }
        let links = try NetlinkSocket(transport: transport).links()
        #expect(links.map(\.name) == ["lo", "br0", "veth1", "veth0", "mv0", "vx0"])
        #expect(transport.sentMessages.count == 2)
    }

    @Test func doneFlaggedInterruptedThrows() throws {
        let transport = RecordingTransport { request in
            [Reply.done(to: request, flags: Flags.multi | Flags.dumpInterrupted)]
        }
        #expect(throws: NetlinkError.dumpInterrupted) { try NetlinkSocket(transport: transport).routes() }
        #expect(NetlinkError.dumpInterrupted.description.contains("retry"))
    }

    @Test func dumpThatFailsHalfWayThrowsTheKernelError() throws {
        let transport = RecordingTransport { request in [Reply.done(to: request, status: -ENOBUFS)] }
        let thrown = #expect(throws: NetlinkError.self) { try NetlinkSocket(transport: transport).neighbours() }
        #expect(thrown?.errno == Errno(rawValue: ENOBUFS))
        #expect(thrown == .kernel(errno: Errno(rawValue: ENOBUFS), operation: "list neighbours", message: nil))
    }

    @Test func dumpErrorCarriesItsExtendedAckText() throws {
        let transport = RecordingTransport { request in
            var payload: [UInt8] = []
            payload.appendLittleEndian(-EINVAL)
            var writer = AttributeWriter()
            writer.append(UInt16(NLMSGERR_ATTR_MSG.rawValue), string: "Invalid header for route dump request")
            payload += writer.bytes
            let done = NetlinkMessage(type: UInt16(NLMSG_DONE), flags: Flags.multi | UInt16(NLM_F_ACK_TLVS),
                                      sequence: request.sequence, portID: 4242, payload: payload)
            return [done.encoded()]
        }
        #expect(throws: NetlinkError.kernel(errno: .invalidArgument, operation: "list routes",
                                            message: "Invalid header for route dump request")) {
            try NetlinkSocket(transport: transport).routes()
        }
    }

    @Test func emptyDumpReturnsNothing() throws {
        let transport = RecordingTransport { request in [Reply.done(to: request)] }
        #expect(try NetlinkSocket(transport: transport).addresses().isEmpty)
    }

    @Test func noopMessagesAreIgnored() throws {
        let transport = RecordingTransport { request in
            let noop = NetlinkMessage(type: UInt16(NLMSG_NOOP), flags: 0, sequence: request.sequence, portID: 4242,
                                      payload: [])
            return [noop.encoded(), Reply.ack(to: request)]
        }
        try NetlinkSocket(transport: transport).deleteLink(Self.br0)
    }

    @Test func lookupOfAMissingInterfaceIsNil() throws {
        let transport = RecordingTransport { request in [Reply.error(ENODEV, to: request)] }
        let socket = NetlinkSocket(transport: transport)
        #expect(try socket.link(named: "nope") == nil)
        #expect(try socket.link(InterfaceIndex(99)) == nil)
        let lookups = transport.sentMessages
        #expect(lookups.map(\.flags) == [Flags.request, Flags.request], "a lookup asks for no ACK")
    }

    @Test func lookupReturnsTheDecodedInterface() throws {
        let captured = try Fixture("replies/link-peer-netns").replyDatagrams
        // The capture's second datagram is the kernel's answer to `ip link show dev veth0`.
        let transport = RecordingTransport(respond: Self.replaying([captured[1]]))
        let link = try #require(try NetlinkSocket(transport: transport).link(named: "veth0"))
        #expect(link.name == "veth0" && link.kind == "veth")
    }

    @Test func receiveFailureSurfacesAsSystemError() throws {
        let transport = RecordingTransport { _ in [] }
        let thrown = #expect(throws: NetlinkError.self) { try NetlinkSocket(transport: transport).deleteLink(Self.br0) }
        #expect(thrown?.errno == .tryAgain)
    }

    @Test func concurrentCallersEachGetTheirOwnReply() async throws {
        let transport = RecordingTransport()
        let socket = NetlinkSocket(transport: transport)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for step in 0..<25 {
                        try socket.setLink(InterfaceIndex(Int32(worker * 100 + step)), LinkChange(up: true))
                    }
                }
            }
            try await group.waitForAll()
        }
        let sequences = transport.sentMessages.map(\.sequence)
        #expect(sequences.count == 200)
        #expect(Set(sequences).count == 200)
        #expect(sequences == Array(1...200), "one exchange at a time, in order")
    }
}
