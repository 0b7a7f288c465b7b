import NetlinkKit
import Testing

@testable import SpliceNet

/// The embedded resolver's DNS message handling: queries parsed as stub resolvers send them, answers in the
/// shape they accept.
@Suite struct DNSQueryTests {
    @Test func parsesAStubResolversQuery() throws {
        let packet = DNSQuery.encode(id: 0xBEEF, name: "Web.Cap-N2")
        let query = try #require(DNSQuery(packet))
        #expect(query.id == 0xBEEF)
        #expect(query.name == "web.cap-n2")
        #expect(query.type == 1)
        #expect(query.question == Array(packet[12...]))
    }

    @Test func refusesResponsesTruncatedPacketsAndSeveralQuestions() {
        var response = DNSQuery.encode(id: 1, name: "a")
        response[2] |= 0x80
        #expect(DNSQuery(response) == nil)
        #expect(DNSQuery(Array(DNSQuery.encode(id: 1, name: "abc").dropLast(3))) == nil)
        var two = DNSQuery.encode(id: 1, name: "a")
        two[5] = 2
        #expect(DNSQuery(two) == nil)
    }

    @Test func answersARecordsWithTheQuestionEchoed() throws {
        let query = try #require(DNSQuery(DNSQuery.encode(id: 7, name: "web")))
        let answer = query.answer(addresses: [try #require(IPv4Address("10.231.0.200"))])
        #expect(Array(answer[0..<2]) == [0, 7])
        #expect(answer[2] & 0x80 != 0)
        #expect(answer[3] & 0x0F == 0)
        #expect(Array(answer[6..<8]) == [0, 1])
        #expect(Array(answer.suffix(4)) == [10, 231, 0, 200])
        #expect(Array(answer[12..<(12 + query.question.count)]) == query.question)
    }

    @Test func aaaaForAKnownNameIsEmptyAndUnknownIsNXDOMAIN() throws {
        let aaaa = try #require(DNSQuery(DNSQuery.encode(id: 9, name: "web", type: 28)))
        let empty = aaaa.answer(addresses: [try #require(IPv4Address("10.0.0.2"))])
        #expect(empty[3] & 0x0F == 0)
        #expect(Array(empty[6..<8]) == [0, 0])
        let missing = aaaa.answer(addresses: [], rcode: 3)
        #expect(missing[3] & 0x0F == 3)
    }

    @Test func answersAAAARecordsForAnIPv6Member() throws {
        let aaaa = try #require(DNSQuery(DNSQuery.encode(id: 11, name: "six2", type: 28)))
        let answer = aaaa.answer(addresses: [try #require(IPv4Address("10.223.0.3"))],
                                 addresses6: [try #require(IPv6Address("fd00:223::99"))])
        #expect(answer[3] & 0x0F == 0)
        #expect(Array(answer[6..<8]) == [0, 1])
        let record = Array(answer[(12 + aaaa.question.count)...])
        // Pointer to the name, TYPE 28, CLASS IN, TTL 600, RDLENGTH 16, the address.
        #expect(Array(record[0..<12]) == [0xC0, 0x0C, 0, 28, 0, 1, 0, 0, 0x02, 0x58, 0, 16])
        #expect(Array(record[12...]) == (try #require(IPv6Address("fd00:223::99"))).bytes)
        let a = try #require(DNSQuery(DNSQuery.encode(id: 12, name: "six2")))
        let four = a.answer(addresses: [try #require(IPv4Address("10.223.0.3"))],
                            addresses6: [try #require(IPv6Address("fd00:223::99"))])
        #expect(Array(four.suffix(4)) == [10, 223, 0, 3])
    }
}
