import NetlinkKit

/// A UDP datagram inside an IPv4 packet, as an `AF_PACKET`/`SOCK_DGRAM` socket delivers it (from the IP header on).
///
/// The DHCP client reads replies this way because the kernel's UDP path drops them while the interface has no
/// address yet and reverse-path filtering is on (`rp_filter`, which new namespaces inherit from the host).
struct IPv4UDPPacket: Equatable {
    var source: IPv4Address
    var destination: IPv4Address
    var sourcePort: UInt16
    var destinationPort: UInt16
    var payload: [UInt8]

    /// IP protocol number of UDP (`IPPROTO_UDP`).
    static let udpProtocol: UInt8 = 17
    private static let minimumHeaderLength = 20
    private static let udpHeaderLength = 8
    /// The More Fragments flag and the fragment offset.
    private static let fragmentMask: UInt16 = 0x3fff

    /// Parses an IPv4 packet; nil unless it is a complete, unfragmented UDP datagram with a valid IP header
    /// checksum. The UDP checksum is not verified: on veth links the kernel may hand packet sockets datagrams whose
    /// checksum is still left to offload (`CHECKSUM_PARTIAL`), which would look wrong.
    init?(_ packet: [UInt8]) {
        guard packet.count >= Self.minimumHeaderLength, packet[0] >> 4 == 4 else { return nil }
        let headerLength = Int(packet[0] & 0x0f) * 4
        let totalLength = Int(packet.word(at: 2))
        guard headerLength >= Self.minimumHeaderLength, totalLength >= headerLength + Self.udpHeaderLength,
            totalLength <= packet.count, packet[9] == Self.udpProtocol,
            packet.word(at: 6) & Self.fragmentMask == 0,
            Self.checksum(packet[0..<headerLength]) == 0
        else { return nil }
        let udp = headerLength
        let udpLength = Int(packet.word(at: udp + 4))
        guard udpLength >= Self.udpHeaderLength, udp + udpLength <= totalLength else { return nil }
        source = IPv4Address(bytes: Array(packet[12..<16]))
        destination = IPv4Address(bytes: Array(packet[16..<20]))
        sourcePort = packet.word(at: udp)
        destinationPort = packet.word(at: udp + 2)
        payload = Array(packet[(udp + Self.udpHeaderLength)..<(udp + udpLength)])
    }

    /// The Internet checksum (RFC 1071) of `bytes`: 0 when a header that includes its checksum is intact.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var sum: UInt32 = 0
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.endIndex { sum += UInt32(bytes[index]) << 8 }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }
}

extension [UInt8] {
    /// The network-order 16-bit word at `offset`; the caller has checked the bounds.
    fileprivate func word(at offset: Int) -> UInt16 { UInt16(self[offset]) << 8 | UInt16(self[offset + 1]) }
}
