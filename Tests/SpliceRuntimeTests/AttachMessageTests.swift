import Testing
@testable import SpliceRuntime

@Suite("The attach protocol's frames")
struct AttachMessageTests {
    @Test("each message encodes as type, big-endian length, payload")
    func goldenBytes() {
        #expect(AttachMessage.hello(replay: true, stdin: false).encoded() == [0x01, 0, 0, 0, 1, 0b01])
        #expect(AttachMessage.hello(replay: false, stdin: true).encoded() == [0x01, 0, 0, 0, 1, 0b10])
        #expect(AttachMessage.stdin([0x61, 0x0a]).encoded() == [0x02, 0, 0, 0, 2, 0x61, 0x0a])
        #expect(AttachMessage.closeStdin.encoded() == [0x03, 0, 0, 0, 0])
        // rows 0x0102 = 258, columns 0x0050 = 80
        #expect(AttachMessage.resize(TerminalSize(rows: 258, columns: 80)).encoded()
            == [0x04, 0, 0, 0, 4, 1, 2, 0, 0x50])
        #expect(AttachMessage.welcome(tty: true, openStdin: true).encoded() == [0x10, 0, 0, 0, 1, 0b11])
        #expect(AttachMessage.output(AttachFrame(stream: .stderr, bytes: [0x68, 0x69])).encoded()
            == [0x11, 0, 0, 0, 3, 2, 0x68, 0x69])
        #expect(AttachMessage.end.encoded() == [0x12, 0, 0, 0, 0])
    }

    @Test("every message decodes back to itself")
    func roundTrip() throws {
        let messages: [AttachMessage] = [
            .hello(replay: true, stdin: true), .hello(replay: false, stdin: false), .stdin([]), .stdin([1, 2, 3]),
            .closeStdin, .resize(TerminalSize(rows: 24, columns: 65535)), .welcome(tty: false, openStdin: true),
            .output(AttachFrame(stream: .stdout, bytes: Array("hello\n".utf8))), .end,
        ]
        var decoder = AttachMessageDecoder()
        decoder.feed(messages.flatMap { $0.encoded() })
        var decoded: [AttachMessage] = []
        while let message = try decoder.next() { decoded.append(message) }
        #expect(decoded == messages)
        #expect(decoder.pendingCount == 0)
    }

    @Test("a frame split across reads comes out once it is complete")
    func partialFeeds() throws {
        let frame = AttachFrame(stream: .stdout, bytes: Array(repeating: 7, count: 1000))
        let bytes = AttachMessage.output(frame).encoded() + AttachMessage.end.encoded()
        var decoder = AttachMessageDecoder()
        var decoded: [AttachMessage] = []
        for byte in bytes {
            decoder.feed([byte])
            while let message = try decoder.next() { decoded.append(message) }
        }
        #expect(decoded == [.output(AttachFrame(stream: .stdout, bytes: Array(repeating: 7, count: 1000))), .end])
    }

    @Test("unknown types, bad payloads and oversized frames are errors")
    func malformed() throws {
        func decode(_ bytes: [UInt8]) throws(AttachProtocolError) -> AttachMessage? {
            var decoder = AttachMessageDecoder()
            decoder.feed(bytes)
            return try decoder.next()
        }
        #expect(throws: AttachProtocolError.malformed("unknown frame type 127")) { try decode([0x7f, 0, 0, 0, 0]) }
        #expect(throws: AttachProtocolError.malformed("resize payload of 3 bytes")) {
            try decode([0x04, 0, 0, 0, 3, 1, 2, 3])
        }
        #expect(throws: AttachProtocolError.malformed("output frame without a valid stream")) {
            try decode([0x11, 0, 0, 0, 2, 9, 0])
        }
        #expect(throws: AttachProtocolError.self) { try decode([0x11, 0x7f, 0, 0, 0]) }
        #expect(try decode([0x11, 0, 0]) == nil)
    }
}
