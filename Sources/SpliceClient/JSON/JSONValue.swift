/// A decoded JSON document that keeps object key order and the number text as sent.
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

    /// The value under `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// Parses a complete JSON document.
    public static func parse(_ bytes: [UInt8]) throws(ClientError) -> JSONValue {
        var parser = JSONParser(bytes)
        let value = try parser.parseValue()
        parser.skipSpace()
        guard parser.atEnd else { throw .transport("invalid JSON from daemon: trailing data") }
        return value
    }

    /// Parses every whitespace-separated document in `bytes` (JSON lines).
    public static func parseSequence(_ bytes: [UInt8]) throws(ClientError) -> [JSONValue] {
        var parser = JSONParser(bytes)
        var values: [JSONValue] = []
        parser.skipSpace()
        while !parser.atEnd {
            values.append(try parser.parseValue())
            parser.skipSpace()
        }
        return values
    }
}
