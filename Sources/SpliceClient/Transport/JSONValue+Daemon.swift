import JSONKit

extension JSONValue {
    /// Parses one document the daemon sent; malformed JSON is a transport error.
    public static func parse(_ bytes: [UInt8]) throws(ClientError) -> JSONValue {
        do { return try decode(bytes) } catch { throw malformed(error) }
    }

    /// Parses every document of `bytes` (JSON lines) the daemon sent; malformed JSON is a transport error.
    public static func parseSequence(_ bytes: [UInt8]) throws(ClientError) -> [JSONValue] {
        do { return try decodeSequence(bytes) } catch { throw malformed(error) }
    }

    private static func malformed(_ error: JSONParseError) -> ClientError {
        .transport("invalid JSON from daemon: \(error.reason) at offset \(error.offset)")
    }
}
