import JSONKit
import Testing

/// The one JSON reader (firewall read-back, the client's templates) and the one string escaper.
@Suite("JSON reader")
struct JSONValueTests {
    /// Objects, arrays, strings, numbers, booleans and null.
    @Test func values() throws {
        let documents = try JSONValue.decodeSequence(bytes(#" {"a": [1, -2.5, true, false, null], "b": {"c": "d"}} "#))
        #expect(documents.count == 1)
        let document = try #require(documents.first)
        #expect(document["a"]?.arrayValue == [.number("1"), .number("-2.5"), .bool(true), .bool(false), .null])
        #expect(document["a"]?.arrayValue?.first?.integerValue == 1)
        #expect(document["a"]?.arrayValue?[1].integerValue == nil)
        #expect(document["b"]?["c"]?.stringValue == "d")
        #expect(document["missing"] == nil)
        #expect(try JSONValue.decodeSequence(bytes("[]")) == [.array([])])
        #expect(try JSONValue.decodeSequence(bytes("{}")) == [.object([])])
    }

    /// Escapes, including a surrogate pair, decode to the characters they stand for.
    @Test func escapes() throws {
        let text = #"["a\"b\\c\/d\n\t\u00e9\ud83d\ude00", "plain é"]"#
        let values = try #require(try JSONValue.decodeSequence(bytes(text)).first?.arrayValue)
        #expect(values[0].stringValue == "a\"b\\c/d\n\té😀")
        #expect(values[1].stringValue == "plain é")
    }

    /// libnftables prints one document per command; they are read one after another.
    @Test func concatenatedDocuments() throws {
        let documents = try JSONValue.decodeSequence(bytes("{\"nftables\": []}\n{\"nftables\": [1]}\n"))
        #expect(documents.count == 2)
        #expect(try JSONValue.decodeSequence(bytes("  \n")).isEmpty)
    }

    /// Broken input fails with the offset of the problem.
    @Test func errors() {
        #expect(throws: JSONParseError(reason: "expected ',' or '}'", offset: 8)) {
            try JSONValue.decodeSequence(bytes(#"{"a": 1 "b": 2}"#))
        }
        #expect(throws: JSONParseError(reason: "unterminated string", offset: 4)) {
            try JSONValue.decodeSequence(bytes(#"["ab"#))
        }
        #expect(throws: JSONParseError(reason: "unexpected character", offset: 1)) {
            try JSONValue.decodeSequence(bytes("[x]"))
        }
        #expect(throws: JSONParseError(reason: "lone surrogate", offset: 8)) {
            try JSONValue.decodeSequence(bytes(#"["\ud83d"]"#))
        }
        #expect(throws: JSONParseError.self) { try JSONValue.decodeSequence(bytes(String(repeating: "[", count: 200))) }
    }

    /// Members keep their order and numbers their text, so a value prints back as it came.
    @Test func printsBackAsParsed() throws {
        let value = try JSONValue.decode(bytes(#"{"z": 1.50, "a": [true, null, "<&>"]}"#))
        #expect(value.compactText == #"{"z":1.50,"a":[true,null,"<&>"]}"#)
        #expect(value.indentedText
            == "{\n    \"z\": 1.50,\n    \"a\": [\n        true,\n        null,\n        \"<&>\"\n    ]\n}")
        #expect(throws: JSONParseError(reason: "trailing data", offset: 3)) { try JSONValue.decode(bytes("{} x")) }
    }

    /// Go's escaping: short forms for \n \r \t, `\u00XX` for other controls and U+2028/9, HTML only when asked.
    @Test func quoting() {
        #expect(JSONString.quoted("a\"b\\c\n\r\t\u{1}\u{2028}<&>") == #""a\"b\\c\n\r\t\u0001\u2028<&>""#)
        #expect(JSONString.quoted("<&>", escapingHTML: true) == #""\u003c\u0026\u003e""#)
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
