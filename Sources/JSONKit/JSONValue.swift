/// A decoded JSON document, without Foundation: object members keep their order and numbers their text as sent,
/// so a value prints back as it came (`docker inspect`, `--format '{{json .}}'`).
public enum JSONValue: Equatable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its literal text.
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, in document order.
    case object([Member])

    /// One key-value pair of an object.
    public struct Member: Equatable, Sendable {
        /// The key.
        public var key: String
        /// The value.
        public var value: JSONValue
        /// Creates a member.
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value under `key` when this is an object (the first such member), or nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// The string payload when this is a string, or nil.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number as an integer when it is a whole number that fits, or nil.
    public var integerValue: Int? {
        guard case .number(let text) = self else { return nil }
        if let value = Int(text) { return value }
        guard let value = Double(text), value.rounded() == value, abs(value) < 9.0e15 else { return nil }
        return Int(value)
    }

    /// The elements when this is an array, or nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// Parses one complete JSON document.
    public static func decode(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes)
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.fail("trailing data") }
        return value
    }

    /// Parses every document of `bytes` written one after another (JSON lines, libnftables' output).
    public static func decodeSequence(_ bytes: [UInt8]) throws(JSONParseError) -> [JSONValue] {
        var parser = JSONParser(bytes)
        var documents: [JSONValue] = []
        parser.skipWhitespace()
        while !parser.atEnd {
            documents.append(try parser.value(depth: 0))
            parser.skipWhitespace()
        }
        return documents
    }
}
