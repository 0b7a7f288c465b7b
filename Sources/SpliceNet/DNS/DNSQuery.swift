import NetlinkKit

/// One DNS query as the embedded resolver reads it (RFC 1035 4.1): the header id and flags and the single
/// question; and the answers it writes (A and AAAA records, an empty NOERROR, NXDOMAIN, SERVFAIL).
public struct DNSQuery: Sendable, Equatable {
    /// The record types the resolver distinguishes.
    public enum RecordType: UInt16, Sendable {
        case a = 1, aaaa = 28
    }

    /// The transaction id.
    public var id: UInt16
    /// The flags word of the query (RD is echoed).
    public var flags: UInt16
    /// The question name, lower-cased, without the trailing dot.
    public var name: String
    /// QTYPE.
    public var type: UInt16
    /// QCLASS (1 = IN).
    public var qclass: UInt16
    /// The question section's bytes, copied into answers.
    public var question: [UInt8]

    /// Parses a query; nil for anything that is not a standard query with one question.
    public init?(_ packet: [UInt8]) {
        guard packet.count >= 12 else { return nil }
        func word(_ at: Int) -> UInt16 { UInt16(packet[at]) << 8 | UInt16(packet[at + 1]) }
        id = word(0)
        flags = word(2)
        // QR must be 0 (a query) and the opcode 0 (QUERY); exactly one question.
        guard flags & 0x8000 == 0, (flags >> 11) & 0xF == 0, word(4) == 1 else { return nil }
        var offset = 12
        var labels: [String] = []
        while true {
            guard offset < packet.count else { return nil }
            let length = Int(packet[offset])
            offset += 1
            if length == 0 { break }
            // Compression pointers do not appear in a question a stub resolver sends.
            guard length < 64, offset + length <= packet.count else { return nil }
            labels.append(String(decoding: packet[offset..<(offset + length)], as: UTF8.self).lowercased())
            offset += length
        }
        guard offset + 4 <= packet.count else { return nil }
        type = word(offset)
        qclass = word(offset + 2)
        question = Array(packet[12..<(offset + 4)])
        name = labels.joined(separator: ".")
    }

    /// A query for `name` (for tests and the forwarder's own probes).
    public static func encode(id: UInt16, name: String, type: UInt16 = 1) -> [UInt8] {
        var out: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") {
            out.append(UInt8(label.utf8.count))
            out += Array(label.utf8)
        }
        out += [0, UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
        return out
    }

    /// The answer: `addresses` as A records (TTL 600, as Docker's resolver gives) for an A question, `addresses6`
    /// as AAAA records for an AAAA question, none for other types of a known name; `rcode` 3 (NXDOMAIN) or 2
    /// (SERVFAIL) with no records.
    public func answer(addresses: [IPv4Address], addresses6: [IPv6Address] = [], rcode: UInt8 = 0) -> [UInt8] {
        var records: [(type: UInt16, data: [UInt8])] = []
        if rcode == 0, qclass == 1, type == RecordType.a.rawValue {
            records = addresses.map { (RecordType.a.rawValue, $0.bytes) }
        } else if rcode == 0, qclass == 1, type == RecordType.aaaa.rawValue {
            records = addresses6.map { (RecordType.aaaa.rawValue, $0.bytes) }
        }
        // QR, AA, RD echoed, RA.
        let flags: UInt16 = 0x8000 | 0x0400 | (self.flags & 0x0100) | 0x0080 | UInt16(rcode & 0xF)
        var out: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), UInt8(flags >> 8), UInt8(flags & 0xFF), 0, 1,
                            UInt8(records.count >> 8), UInt8(records.count & 0xFF), 0, 0, 0, 0]
        out += question
        for record in records {
            // Name: a pointer to the question's name at offset 12; class IN; TTL 600; the data's length.
            out += [0xC0, 0x0C, UInt8(record.type >> 8), UInt8(record.type & 0xFF), 0, 1, 0, 0, 0x02, 0x58,
                    0, UInt8(record.data.count)]
            out += record.data
        }
        return out
    }
}
