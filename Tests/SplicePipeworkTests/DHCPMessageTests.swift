import NetlinkKit
import SystemKit
import Testing

@testable import SplicePipework

private let clientMAC = MACAddress(bytes: [0x02, 0x42, 0xac, 0x11, 0x00, 0x02])

/// The fixed BOOTP header of a reply, built by hand: op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr,
/// siaddr, giaddr, chaddr (16), sname (64), file (128), magic cookie.
private func replyHeader(transactionID: [UInt8], yourAddress: [UInt8], broadcast: Bool = true) -> [UInt8] {
    [0x02, 0x01, 0x06, 0x00]  // op BOOTREPLY, htype Ethernet, hlen 6, hops 0
        + transactionID  // xid
        + [0x00, 0x00]  // secs
        + (broadcast ? [0x80, 0x00] : [0x00, 0x00])  // flags
        + [0, 0, 0, 0]  // ciaddr
        + yourAddress  // yiaddr
        + [192, 168, 77, 1]  // siaddr
        + [0, 0, 0, 0]  // giaddr
        + [0x02, 0x42, 0xac, 0x11, 0x00, 0x02] + [UInt8](repeating: 0, count: 10)  // chaddr
        + [UInt8](repeating: 0, count: 64)  // sname
        + [UInt8](repeating: 0, count: 128)  // file
        + [0x63, 0x82, 0x53, 0x63]  // magic cookie
}

@Suite struct DHCPMessageEncodingTests {
    @Test func discoverGoldenBytes() throws {
        let mac = try #require(clientMAC)
        let client = DHCPClient(interface: "eth1", namespace: try NetworkNamespace.host(), mac: mac, hostname: "guest1")
        let bytes = client.message(.discover, transactionID: 0x3903_f326, broadcast: true).encoded()

        #expect(bytes.count == 300, "padded to the BOOTP minimum")
        #expect(bytes[0] == 0x01, "op BOOTREQUEST")
        #expect(bytes[1] == 0x01, "htype Ethernet")
        #expect(bytes[2] == 0x06, "hlen")
        #expect(bytes[3] == 0x00, "hops")
        #expect(Array(bytes[4..<8]) == [0x39, 0x03, 0xf3, 0x26], "xid, network order")
        #expect(Array(bytes[8..<10]) == [0x00, 0x00], "secs")
        #expect(Array(bytes[10..<12]) == [0x80, 0x00], "flags: BROADCAST")
        #expect(Array(bytes[12..<16]) == [0, 0, 0, 0], "ciaddr")
        #expect(Array(bytes[16..<20]) == [0, 0, 0, 0], "yiaddr")
        #expect(Array(bytes[20..<24]) == [0, 0, 0, 0], "siaddr")
        #expect(Array(bytes[24..<28]) == [0, 0, 0, 0], "giaddr")
        #expect(Array(bytes[28..<34]) == [0x02, 0x42, 0xac, 0x11, 0x00, 0x02], "chaddr")
        #expect(bytes[34..<44].allSatisfy { $0 == 0 }, "chaddr padding")
        #expect(bytes[44..<236].allSatisfy { $0 == 0 }, "sname and file")
        #expect(Array(bytes[236..<240]) == [0x63, 0x82, 0x53, 0x63], "magic cookie")
        let options: [UInt8] =
            [53, 1, 1]  // message type DHCPDISCOVER
            + [61, 7, 1, 0x02, 0x42, 0xac, 0x11, 0x00, 0x02]  // client identifier: type 1 + MAC
            + [12, 6] + Array("guest1".utf8)  // host name
            + [55, 4, 1, 3, 6, 15]  // parameter request list: mask, router, DNS, domain
            + [255]  // end
        #expect(Array(bytes[240..<240 + options.count]) == options)
        #expect(bytes[(240 + options.count)...].allSatisfy { $0 == 0 }, "padding after end")
    }

    @Test func requestCarriesRequestedAddressAndServer() throws {
        let mac = try #require(clientMAC)
        let client = DHCPClient(interface: "eth1", namespace: try NetworkNamespace.host(), mac: mac)
        let request = client.message(.request, transactionID: 7, broadcast: true,
                                     extra: [.requestedAddress(IPv4Address(192, 168, 77, 100)),
                                             .serverIdentifier(IPv4Address(192, 168, 77, 1))])
        let bytes = request.encoded()
        let options: [UInt8] =
            [53, 1, 3]  // DHCPREQUEST
            + [50, 4, 192, 168, 77, 100]  // requested address
            + [54, 4, 192, 168, 77, 1]  // server identifier
            + [61, 7, 1, 0x02, 0x42, 0xac, 0x11, 0x00, 0x02]  // client identifier
            + [55, 4, 1, 3, 6, 15]  // parameter request list (no host name configured)
            + [255]
        #expect(Array(bytes[240..<240 + options.count]) == options)
    }

    @Test func releaseCarriesClientAddressAndNoParameterList() throws {
        let mac = try #require(clientMAC)
        let client = DHCPClient(interface: "eth1", namespace: try NetworkNamespace.host(), mac: mac, hostname: "g")
        let bytes = client.message(.release, transactionID: 9, broadcast: false,
                                   clientAddress: IPv4Address(192, 168, 77, 100),
                                   extra: [.serverIdentifier(IPv4Address(192, 168, 77, 1))]).encoded()
        #expect(Array(bytes[10..<12]) == [0, 0], "no BROADCAST flag")
        #expect(Array(bytes[12..<16]) == [192, 168, 77, 100], "ciaddr")
        let options: [UInt8] = [53, 1, 7] + [54, 4, 192, 168, 77, 1] + [61, 7, 1, 0x02, 0x42, 0xac, 0x11, 0x00, 0x02]
            + [255]
        #expect(Array(bytes[240..<240 + options.count]) == options)
    }

    @Test func roundTrip() throws {
        let mac = try #require(clientMAC)
        let message = DHCPMessage(
            operation: .reply, transactionID: 0xdead_beef, clientHardwareAddress: mac,
            options: [.messageType(.ack), .serverIdentifier(IPv4Address(10, 0, 0, 1)), .leaseTime(600),
                      .subnetMask(IPv4Address(255, 255, 0, 0)), .routers([IPv4Address(10, 0, 0, 1)]),
                      .dnsServers([IPv4Address(10, 0, 0, 2), IPv4Address(10, 0, 0, 3)]), .domainName("lan"),
                      .hostName("g1"), .message("ok")],
            secondsElapsed: 3, broadcast: true, clientAddress: IPv4Address(10, 0, 5, 5),
            yourAddress: IPv4Address(10, 0, 5, 5), serverAddress: IPv4Address(10, 0, 0, 1),
            relayAddress: IPv4Address(10, 0, 0, 254), hops: 1)
        #expect(try DHCPMessage(decoding: message.encoded()) == message)
    }

    @Test func longOptionIsSplitAndConcatenated() throws {
        let mac = try #require(clientMAC)
        let servers = (1...70).map { IPv4Address(10, 0, 0, UInt8($0)) }  // 280 bytes, more than one option holds
        let message = DHCPMessage(operation: .reply, transactionID: 1, clientHardwareAddress: mac,
                                  options: [.dnsServers(servers)])
        let bytes = message.encoded()
        #expect(Array(bytes[240..<242]) == [6, 255], "first instance carries 255 bytes")
        #expect(Array(bytes[497..<499]) == [6, 25], "second instance carries the remaining 25")
        let decoded = try DHCPMessage(decoding: bytes)
        #expect(decoded.dnsServers == servers)
    }
}

@Suite struct DHCPMessageDecodingTests {
    /// A DHCPOFFER as udhcpd sends it, with pad octets, a NUL-terminated domain and bytes after `end`.
    static let offer: [UInt8] =
        replyHeader(transactionID: [0x39, 0x03, 0xf3, 0x26], yourAddress: [192, 168, 77, 100])
        + [53, 1, 2]  // DHCPOFFER
        + [54, 4, 192, 168, 77, 1]  // server identifier
        + [0, 0]  // pad
        + [51, 4, 0x00, 0x00, 0x0e, 0x10]  // lease time 3600
        + [1, 4, 255, 255, 255, 0]  // subnet mask
        + [3, 4, 192, 168, 77, 1]  // router
        + [6, 8, 192, 168, 77, 1, 8, 8, 8, 8]  // DNS servers
        + [15, 13] + Array("example.test".utf8) + [0]  // domain name with a trailing NUL
        + [255]  // end
        + [53, 1, 5]  // ignored: after end

    @Test func decodesOfferFields() throws {
        let message = try DHCPMessage(decoding: Self.offer)
        #expect(message.operation == .reply)
        #expect(message.transactionID == 0x3903_f326)
        #expect(message.broadcast)
        #expect(message.yourAddress == IPv4Address(192, 168, 77, 100))
        #expect(message.serverAddress == IPv4Address(192, 168, 77, 1))
        #expect(message.clientHardwareAddress == clientMAC)
        #expect(message.messageType == .offer)
        #expect(message.serverIdentifier == IPv4Address(192, 168, 77, 1))
        #expect(message.leaseSeconds == 3600)
        #expect(message.subnetMask == IPv4Address(255, 255, 255, 0))
        #expect(message.routers == [IPv4Address(192, 168, 77, 1)])
        #expect(message.dnsServers == [IPv4Address(192, 168, 77, 1), IPv4Address(8, 8, 8, 8)])
        #expect(message.domainName == "example.test")
        #expect(message.options.map(\.code.rawValue) == [53, 54, 51, 1, 3, 6, 15], "pad and end are not options")
    }

    @Test func ackBecomesLease() throws {
        let ack: [UInt8] =
            replyHeader(transactionID: [0, 0, 0, 1], yourAddress: [192, 168, 77, 120], broadcast: false)
            + [53, 1, 5]  // DHCPACK
            + [54, 4, 192, 168, 77, 1]  // server identifier
            + [51, 4, 0x00, 0x01, 0x51, 0x80]  // lease time 86400
            + [1, 4, 255, 255, 254, 0]  // subnet mask /23
            + [3, 8, 192, 168, 77, 254, 192, 168, 77, 1]  // two routers: the first wins
            + [6, 4, 192, 168, 77, 53]  // DNS
            + [255]
        let message = try DHCPMessage(decoding: ack)
        #expect(message.messageType == .ack)
        #expect(!message.broadcast)
        let lease = try DHCPLease(acknowledgement: message, server: IPv4Address(0, 0, 0, 0))
        #expect(lease == DHCPLease(address: try #require(IPNetwork("192.168.77.120/23")),
                                   router: IPv4Address(192, 168, 77, 254), dnsServers: [IPv4Address(192, 168, 77, 53)],
                                   domain: nil, leaseSeconds: 86400, server: IPv4Address(192, 168, 77, 1)))
    }

    @Test func terseRenewalAckKeepsPreviousSettings() throws {
        let ack: [UInt8] =
            replyHeader(transactionID: [0, 0, 0, 2], yourAddress: [192, 168, 77, 120], broadcast: false)
            + [53, 1, 5, 255]  // DHCPACK and nothing else
        let previous = DHCPLease(address: try #require(IPNetwork("192.168.77.120/24")),
                                 router: IPv4Address(192, 168, 77, 1), dnsServers: [IPv4Address(192, 168, 77, 1)],
                                 domain: "lan", leaseSeconds: 600, server: IPv4Address(192, 168, 77, 1))
        let lease = try DHCPLease(acknowledgement: try DHCPMessage(decoding: ack), server: previous.server,
                                  previous: previous)
        #expect(lease == previous)
    }

    @Test func ackWithoutMaskOrLeaseTimeUsesDefaults() throws {
        let ack: [UInt8] =
            replyHeader(transactionID: [0, 0, 0, 3], yourAddress: [10, 1, 2, 3]) + [53, 1, 5, 54, 4, 10, 0, 0, 1, 255]
        let lease = try DHCPLease(acknowledgement: try DHCPMessage(decoding: ack), server: IPv4Address(0, 0, 0, 0))
        #expect(lease.address.description == "10.1.2.3/8", "class A default")
        #expect(lease.leaseSeconds == 3600, "udhcpc's default")
        #expect(lease.router == nil)
        #expect(lease.dnsServers.isEmpty)
    }

    @Test func nakCarriesItsMessage() throws {
        let nak: [UInt8] =
            replyHeader(transactionID: [0, 0, 0, 4], yourAddress: [0, 0, 0, 0])
            + [53, 1, 6] + [54, 4, 192, 168, 77, 1] + [56, 10] + Array("wrong net!".utf8) + [255]
        let message = try DHCPMessage(decoding: nak)
        #expect(message.messageType == .nak)
        #expect(message.message == "wrong net!")
        #expect(DHCPError.nak(server: IPv4Address(192, 168, 77, 1), message: message.message).description
            == "DHCP server 192.168.77.1 refused the request (DHCPNAK): wrong net!")
    }

    @Test func unusableAcks() throws {
        let zero = replyHeader(transactionID: [0, 0, 0, 5], yourAddress: [0, 0, 0, 0]) + [53, 1, 5, 255]
        #expect(throws: DHCPError.unusableLease(reason: "DHCPACK assigns 0.0.0.0")) {
            try DHCPLease(acknowledgement: try DHCPMessage(decoding: zero), server: IPv4Address(0, 0, 0, 0))
        }
        let holes = replyHeader(transactionID: [0, 0, 0, 6], yourAddress: [10, 0, 0, 9])
            + [53, 1, 5, 1, 4, 255, 0, 255, 0, 255]
        #expect(throws: DHCPError.unusableLease(reason: "subnet mask 255.0.255.0 is not contiguous")) {
            try DHCPLease(acknowledgement: try DHCPMessage(decoding: holes), server: IPv4Address(0, 0, 0, 0))
        }
    }

    @Test func truncatedHeaderIsMalformed() {
        let truncated = Array(Self.offer.prefix(100))
        #expect(throws: DHCPError.malformed(
            reason: "100 bytes is shorter than the BOOTP header and magic cookie (240)", offset: 100)) {
            try DHCPMessage(decoding: truncated)
        }
    }

    @Test func truncatedOptionIsMalformed() {
        // Cut inside the DNS option: its length says 8 but only 3 bytes follow.
        let cut = Array(Self.offer.prefix(240 + 3 + 6 + 2 + 6 + 6 + 6 + 2 + 3))
        let error = #expect(throws: DHCPError.self) { try DHCPMessage(decoding: cut) }
        #expect(error == .malformed(reason: "option 6 needs 8 bytes but 3 remain", offset: 240 + 3 + 6 + 2 + 6 + 6 + 6))
        let noLength = Array(Self.offer.prefix(241))
        #expect(throws: DHCPError.malformed(reason: "option 53 has no length octet", offset: 240)) {
            try DHCPMessage(decoding: noLength)
        }
    }

    @Test func missingCookieIsMalformed() {
        var bytes = Self.offer
        bytes[236] = 0
        #expect(throws: DHCPError.malformed(reason: "missing DHCP magic cookie", offset: 236)) {
            try DHCPMessage(decoding: bytes)
        }
    }

    @Test func missingEndIsTolerated() throws {
        let bytes = replyHeader(transactionID: [0, 0, 0, 7], yourAddress: [10, 0, 0, 9]) + [53, 1, 2]
        #expect(try DHCPMessage(decoding: bytes).messageType == .offer)
    }

    @Test(arguments: [("255.255.255.0", 24), ("255.255.254.0", 23), ("0.0.0.0", 0), ("255.255.255.255", 32),
                      ("255.0.0.0", 8), ("255.255.255.128", 25)])
    func maskPrefixLengths(mask: String, length: Int) throws {
        #expect(DHCPLease.prefixLength(ofMask: try #require(IPv4Address(mask))) == length)
    }

    @Test func nonContiguousMasks() throws {
        #expect(DHCPLease.prefixLength(ofMask: IPv4Address(255, 0, 255, 0)) == nil)
        #expect(DHCPLease.prefixLength(ofMask: IPv4Address(0, 255, 255, 255)) == nil)
    }
}

@Suite struct DHCPClientSettingsTests {
    @Test func parsesTheSupportedOptions() throws {
        let settings = try DHCPClientSettings(parsing: ["-x", "hostname:web1", "-t", "5", "-T", "20"])
        #expect(settings == DHCPClientSettings(hostname: "web1", attempts: 5, timeoutSeconds: 20))
    }

    @Test func attachedValuesAndForeground() throws {
        let settings = try DHCPClientSettings(parsing: ["-xhostname:db", "-t3", "-T7", "-f"])
        #expect(settings == DHCPClientSettings(hostname: "db", attempts: 3, timeoutSeconds: 7, foreground: true))
    }

    @Test func defaults() throws {
        let settings = try DHCPClientSettings(DHCPRequest(client: "udhcpc-f", foreground: true))
        #expect(settings == DHCPClientSettings(foreground: true))
        #expect(settings.timeoutSeconds == 10)
        #expect(settings.attempts == nil)
    }

    @Test func fromPipeworkRequest() throws {
        let request = DHCPRequest(client: "udhcpc", options: ["-x", "hostname:guest", "", "-T", "3"])
        #expect(try DHCPClientSettings(request) == DHCPClientSettings(hostname: "guest", timeoutSeconds: 3))
    }

    @Test func unknownOptionIsNamed() {
        let error = #expect(throws: DHCPError.self) { try DHCPClientSettings(parsing: ["-t", "2", "-s", "/bin/x"]) }
        #expect(error == .unknownOption("-s"))
        #expect(error?.description
            == "unknown DHCP client option \"-s\" (supported: -x hostname:NAME, -t N, -T N, -f)")
        #expect(throws: DHCPError.unknownOption("--now")) { try DHCPClientSettings(parsing: ["--now"]) }
        #expect(throws: DHCPError.unknownOption("hostname")) { try DHCPClientSettings(parsing: ["hostname"]) }
        #expect(throws: DHCPError.unknownOption("-fq")) { try DHCPClientSettings(parsing: ["-fq"]) }
    }

    @Test func invalidValuesAreNamed() {
        #expect(throws: DHCPError.invalidOption("-t", value: "many", reason: "needs a whole number from 1 to 100")) {
            try DHCPClientSettings(parsing: ["-t", "many"])
        }
        #expect(throws: DHCPError.invalidOption("-T", value: "0", reason: "needs a whole number from 1 to 3600")) {
            try DHCPClientSettings(parsing: ["-T", "0"])
        }
        #expect(throws: DHCPError.invalidOption("-T", value: nil, reason: "needs a value")) {
            try DHCPClientSettings(parsing: ["-T"])
        }
        let error = #expect(throws: DHCPError.self) { try DHCPClientSettings(parsing: ["-x", "0x3d:0100"]) }
        #expect(error == .invalidOption("-x", value: "0x3d:0100", reason: "only -x hostname:NAME is supported"))
        #expect(error?.description
            == "invalid DHCP client option -x \"0x3d:0100\": only -x hostname:NAME is supported")
        #expect(throws: DHCPError.invalidOption("-x", value: "hostname:",
                                                reason: "the host name must have 1 to 255 bytes")) {
            try DHCPClientSettings(parsing: ["-x", "hostname:"])
        }
    }

    @Test func clientTakesSettings() throws {
        let mac = try #require(clientMAC)
        let settings = DHCPClientSettings(hostname: "h", attempts: 2, timeoutSeconds: 4)
        let client = DHCPClient(interface: "eth1", namespace: try NetworkNamespace.host(), mac: mac, settings: settings)
        #expect(client.hostname == "h")
        #expect(client.attempts == 2)
        #expect(client.timeoutSeconds == 4)
    }

    @Test func timeoutDescriptionNamesInterfaceAndWait() {
        let error = DHCPError.timeout(interface: "eth1", namespace: "pid:42", awaiting: .offer, seconds: 10, sent: 4)
        #expect(error.description
            == "no DHCPOFFER on eth1 in namespace pid:42 after waiting 10 s (4 DHCPDISCOVERs sent)")
    }
}

@Suite struct DHCPIPv4UDPPacketTests {
    /// An IPv4 packet carrying UDP 67 → 68, with a correct header checksum.
    static func packet(payload: [UInt8], options: [UInt8] = [], flagsAndOffset: [UInt8] = [0x00, 0x00],
                       protocolNumber: UInt8 = 17, trailer: [UInt8] = []) -> [UInt8]
    {
        let headerLength = 20 + options.count
        let total = headerLength + 8 + payload.count
        var header: [UInt8] =
            [0x40 | UInt8(headerLength / 4), 0x00]  // version 4, IHL; DSCP
            + [UInt8(total >> 8), UInt8(total & 0xff)]  // total length
            + [0x12, 0x34] + flagsAndOffset  // identification; flags and fragment offset
            + [64, protocolNumber, 0x00, 0x00]  // TTL, protocol, checksum (filled below)
            + [192, 168, 77, 1] + [255, 255, 255, 255]  // source, destination
            + options
        let checksum = IPv4UDPPacket.checksum(header[...])
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xff)
        let udpLength = 8 + payload.count
        let udp: [UInt8] = [0x00, 67, 0x00, 68, UInt8(udpLength >> 8), UInt8(udpLength & 0xff), 0xab, 0xcd]
        return header + udp + payload + trailer
    }

    @Test func internetChecksum() {
        // The worked example of RFC 1071-style header checksums: 4500 0073 0000 4000 4011 [b861] c0a8 0001 c0a8 00c7.
        var header: [UInt8] = [0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
                               0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7]
        #expect(IPv4UDPPacket.checksum(header[...]) == 0xb861)
        header[10] = 0xb8
        header[11] = 0x61
        #expect(IPv4UDPPacket.checksum(header[...]) == 0)
        #expect(IPv4UDPPacket.checksum([0x01][...]) == 0xfeff, "odd length pads with zero")
    }

    @Test func parsesDatagram() throws {
        let parsed = try #require(IPv4UDPPacket(Self.packet(payload: [1, 2, 3], trailer: [0, 0, 0, 0])))
        #expect(parsed.source == IPv4Address(192, 168, 77, 1))
        #expect(parsed.destination == IPv4Address(255, 255, 255, 255))
        #expect(parsed.sourcePort == 67)
        #expect(parsed.destinationPort == 68)
        #expect(parsed.payload == [1, 2, 3], "Ethernet padding after the total length is ignored")
    }

    @Test func skipsIPOptions() throws {
        let parsed = try #require(IPv4UDPPacket(Self.packet(payload: [9, 9], options: [0x94, 0x04, 0x00, 0x00])))
        #expect(parsed.payload == [9, 9])
    }

    @Test func rejectsWhatIsNotAWholeUDPDatagram() {
        #expect(IPv4UDPPacket(Self.packet(payload: [1], flagsAndOffset: [0x20, 0x00])) == nil, "more fragments")
        #expect(IPv4UDPPacket(Self.packet(payload: [1], flagsAndOffset: [0x00, 0x10])) == nil, "fragment offset")
        #expect(IPv4UDPPacket(Self.packet(payload: [1], flagsAndOffset: [0x40, 0x00])) != nil, "don't fragment is fine")
        #expect(IPv4UDPPacket(Self.packet(payload: [1], protocolNumber: 6)) == nil, "TCP")
        var corrupted = Self.packet(payload: [1])
        corrupted[8] = 1  // TTL changed after the checksum was computed
        #expect(IPv4UDPPacket(corrupted) == nil, "bad header checksum")
        #expect(IPv4UDPPacket(Array(Self.packet(payload: [1, 2, 3]).dropLast())) == nil, "shorter than total length")
        var longUDP = Self.packet(payload: [1, 2, 3])
        longUDP[25] = 200  // UDP length beyond the IP packet
        #expect(IPv4UDPPacket(longUDP) == nil, "UDP length")
        #expect(IPv4UDPPacket([0x45, 0x00]) == nil, "truncated header")
        var ipv6 = Self.packet(payload: [1])
        ipv6[0] = 0x65
        #expect(IPv4UDPPacket(ipv6) == nil, "not version 4")
    }
}
