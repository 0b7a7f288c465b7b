import JSONKit

extension JSONValue {
    /// Parses a document the daemon sent; malformed JSON is a transport error.
    static func fromDaemon(_ bytes: [UInt8]) throws(ClientError) -> JSONValue {
        do {
            return try parse(bytes)
        } catch {
            throw .transport("invalid JSON from daemon: \(error.reason) at offset \(error.offset)")
        }
    }
}
