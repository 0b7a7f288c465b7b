import Crypto

/// A `sha256:<hex>` content digest: the address of a blob, and for an image config the image id.
public struct Digest: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 64 lowercase hex characters.
    public let hex: String

    /// Accepts exactly 64 lowercase hex characters.
    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy(Digest.isHexDigit) else { return nil }
        self.hex = hex
    }

    /// Parses `sha256:<64 hex>`.
    public init?(parsing text: String) {
        guard text.hasPrefix("sha256:") else { return nil }
        self.init(hex: String(text.dropFirst("sha256:".count)))
    }

    /// The digest of `bytes`.
    public static func of(_ bytes: [UInt8]) -> Digest {
        var hasher = SHA256()
        hasher.update(data: bytes)
        return Digest(finishing: hasher)
    }

    /// The digest a finished hasher holds.
    init(finishing hasher: SHA256) {
        let table = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in hasher.finalize() {
            text.append(table[Int(byte >> 4)])
            text.append(table[Int(byte & 0x0f)])
        }
        hex = String(decoding: text, as: UTF8.self)
    }

    /// `sha256:<hex>`, as Docker shows image ids.
    public var description: String { "sha256:" + hex }

    /// The first 12 hex characters, as `docker images` shows ids.
    public var shortID: String { String(hex.prefix(12)) }

    /// Orders digests by their hex text.
    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

    /// Decodes from `sha256:<hex>`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let digest = Digest(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "bad digest \(text)"))
        }
        self = digest
    }

    /// Encodes as `sha256:<hex>`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Whether `byte` is a lowercase hex digit.
    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }
}

/// An image id: the digest of the image's config blob.
public typealias ImageID = Digest
