#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import struct EngineErrors.EngineError

/// Decoding of Docker's `filters` JSON in both forms: `{"name":["x"]}` and the map form `{"name":{"x":true}}`.
public enum Filters {
    /// Decodes the parameter text; an empty string means no filters. Values are sorted for the map form.
    public static func decode(_ text: String) throws(EngineError) -> [String: [String]] {
        if text.isEmpty { return [:] }
        do {
            let decoded = try JSONDecoder().decode([String: FilterValues].self, from: Data(text.utf8))
            return decoded.mapValues(\.values)
        } catch {
            throw EngineError(.invalidArgument, "invalid filter: \(text)", cause: error)
        }
    }

    private struct FilterValues: Decodable {
        let values: [String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let list = try? container.decode([String].self) {
                values = list
            } else if let map = try? container.decode([String: Bool].self) {
                values = map.filter(\.value).map(\.key).sorted()
            } else if container.decodeNil() {
                values = []
            } else {
                values = [try container.decode(String.self)]
            }
        }
    }
}
