import FoundationEssentials

/// JSON in the store's canonical form (sorted keys, unescaped slashes) so that equal content hashes equally.
enum JSONCoding {
    /// Encodes `value` canonically.
    static func encode<T: Encodable>(_ value: T) throws(ImageError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { return Array(try encoder.encode(value)) } catch {
            throw ImageError(.internal, "cannot encode \(T.self): \(error)")
        }
    }

    /// Decodes `bytes` as `T`; `what` names the document in the error.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], what: String) throws(ImageError) -> T {
        do { return try JSONDecoder().decode(type, from: Data(bytes)) } catch {
            throw ImageError(.internal, "cannot decode \(what): \(error)")
        }
    }
}
