import Testing
@testable import SpliceRuntime

@Suite("json-file log lines")
struct JSONLogTests {
    @Test("a line encodes as Docker's json-file driver writes it")
    func encode() {
        let line = JSONLogLine.encode(Array("hello \"you\" <b>&\t\u{1}\n".utf8), stream: "stdout",
                                      time: "2026-01-02T03:04:05.123456789Z")
        #expect(line == #"{"log":"hello \"you\" \u003cb\u003e\u0026\t\u0001\n","stream":"stdout","time":"2026-01-02T03:04:05.123456789Z"}"# + "\n")
    }

    @Test("invalid UTF-8 becomes U+FFFD")
    func invalidUTF8() {
        #expect(JSONLogLine.encode([0x61, 0xff, 0x0a], stream: "stderr", time: "t")
            == "{\"log\":\"a\u{fffd}\\n\",\"stream\":\"stderr\",\"time\":\"t\"}\n")
    }

    @Test("RFC3339Nano drops trailing zeros of the fraction, as Go does")
    func timestamps() {
        #expect(JSONLogLine.timestamp(seconds: 0, nanoseconds: 0) == "1970-01-01T00:00:00Z")
        #expect(JSONLogLine.timestamp(seconds: 1_767_323_045, nanoseconds: 120_000_000) == "2026-01-02T03:04:05.12Z")
        #expect(JSONLogLine.timestamp(seconds: 1_767_323_045, nanoseconds: 7) == "2026-01-02T03:04:05.000000007Z")
    }

    @Test("the splitter cuts at newlines and at the maximum length, and flushes the rest")
    func splitter() {
        var splitter = LogLineSplitter(maximumLength: 4)
        #expect(splitter.feed(Array("ab\ncd".utf8)) == [Array("ab\n".utf8)])
        #expect(splitter.feed(Array("efgh".utf8)) == [Array("cdef".utf8)])
        #expect(splitter.finish() == Array("gh".utf8))
        #expect(splitter.finish() == nil)
    }
}
