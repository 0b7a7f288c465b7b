#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON encoding close to dockerd's: compact, slashes unescaped, one trailing newline.
///
/// Keys are sorted: swift-foundation's `JSONEncoder` does not keep declaration order (dockerd's order), and
/// sorted output is at least deterministic. Clients decode by name, so order is not part of the contract.
enum JSONBody {
    /// Encodes `value` followed by `\n` (Go's `json.Encoder`).
    static func encode<T: Encodable>(_ value: T, terminator: String = "\n") throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return Array(try encoder.encode(value)) + Array(terminator.utf8)
    }
}
