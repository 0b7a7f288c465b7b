import Testing

@testable import Firewall

/// The small JSON reader behind the read-back.
@Suite("JSON reader")
struct JSONValueTests {
    /// Objects, arrays, strings, numbers, booleans and null.
    @Test func values() throws {
        let documents = try JSONValue.parseDocuments(#" {"a": [1, -2.5, true, false, null], "b": {"c": "d"}} "#)
        #expect(documents.count == 1)
        let document = try #require(documents.first)
        #expect(document["a"]?.array == [.number(1), .number(-2.5), .bool(true), .bool(false), .null])
        #expect(document["a"]?.array?.first?.integer == 1)
        #expect(document["a"]?.array?[1].integer == nil)
        #expect(document["b"]?["c"]?.string == "d")
        #expect(document["missing"] == nil)
        #expect(try JSONValue.parseDocuments("[]") == [.array([])])
        #expect(try JSONValue.parseDocuments("{}") == [.object([:])])
    }

    /// Escapes, including a surrogate pair, decode to the characters they stand for.
    @Test func escapes() throws {
        let text = #"["a\"b\\c\/d\n\t\u00e9\ud83d\ude00", "plain é"]"#
        let values = try #require(try JSONValue.parseDocuments(text).first?.array)
        #expect(values[0].string == "a\"b\\c/d\n\té😀")
        #expect(values[1].string == "plain é")
    }

    /// libnftables prints one document per command; they are read one after another.
    @Test func concatenatedDocuments() throws {
        let documents = try JSONValue.parseDocuments("{\"nftables\": []}\n{\"nftables\": [1]}\n")
        #expect(documents.count == 2)
        #expect(try JSONValue.parseDocuments("  \n").isEmpty)
    }

    /// Broken input fails with the offset of the problem.
    @Test func errors() {
        #expect(throws: JSONParseError(reason: "expected ',' or '}'", offset: 8)) {
            try JSONValue.parseDocuments(#"{"a": 1 "b": 2}"#)
        }
        #expect(throws: JSONParseError(reason: "unterminated string", offset: 4)) {
            try JSONValue.parseDocuments(#"["ab"#)
        }
        #expect(throws: JSONParseError(reason: "unexpected character", offset: 1)) {
            try JSONValue.parseDocuments("[x]")
        }
        #expect(throws: JSONParseError(reason: "lone surrogate", offset: 8)) {
            try JSONValue.parseDocuments(#"["\ud83d"]"#)
        }
        #expect(throws: JSONParseError.self) { try JSONValue.parseDocuments(String(repeating: "[", count: 200)) }
    }
}
