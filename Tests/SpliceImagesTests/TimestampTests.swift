import SpliceImages
import Testing

@Suite struct TimestampTests {
    @Test func roundTripsNanoseconds() throws {
        let text = "2026-11-29T17:20:38.670507791Z"
        let parsed = try #require(Timestamp(rfc3339: text))
        #expect(parsed.seconds == 1_795_972_838)
        #expect(parsed.nanoseconds == 670_507_791)
        #expect(parsed.rfc3339 == text)
    }

    @Test func parsesOffsetsAndWholeSeconds() throws {
        #expect(Timestamp(rfc3339: "1970-01-01T01:00:00+01:00")?.seconds == 0)
        #expect(Timestamp(rfc3339: "2000-03-01T00:00:00Z")?.seconds == 951_868_800)
        #expect(Timestamp(seconds: 951_868_800).rfc3339 == "2000-03-01T00:00:00Z")
        #expect(Timestamp(rfc3339: "yesterday") == nil)
    }
}
