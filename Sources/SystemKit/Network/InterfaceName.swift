/// Linux interface names: the one check of the kernel's rules, and the names Splice derives from stable keys.
public enum InterfaceName {
    /// Why the kernel would refuse a name (its `dev_valid_name`).
    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        /// The name is empty.
        case empty
        /// The name is longer than 15 bytes (IFNAMSIZ less the NUL).
        case tooLong(bytes: Int)
        /// The name is `.` or `..`.
        case dotName
        /// The name contains `/`, `:` or whitespace.
        case forbiddenCharacter(Character)

        /// What is wrong, for error messages.
        public var description: String {
            switch self {
            case .empty: "the interface name is empty"
            case .tooLong(let bytes): "the interface name is \(bytes) bytes long; Linux allows at most 15"
            case .dotName: "an interface name cannot be '.' or '..'"
            case .forbiddenCharacter(let character):
                character.isWhitespace ? "an interface name cannot contain whitespace"
                    : "an interface name cannot contain '\(character)'"
            }
        }
    }

    /// The longest name the kernel takes, in bytes.
    public static let maximumLength = 15

    /// Checks `name` as the kernel does: 1 to 15 bytes, not `.` or `..`, no `/`, `:` or whitespace; nil when valid.
    public static func problem(with name: String) -> Problem? {
        let length = name.utf8.count
        if length == 0 { return .empty }
        if length > maximumLength { return .tooLong(bytes: length) }
        if name == "." || name == ".." { return .dotName }
        if let bad = name.first(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) {
            return .forbiddenCharacter(bad)
        }
        return nil
    }

    /// `prefix` + 8 hex digits of an FNV-1a hash of `key`, such as `vsp1a2b3c4d`: the same key gives the same
    /// name, and it fits in IFNAMSIZ for prefixes up to 7 bytes.
    public static func hashed(prefix: String, key: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in key.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash, radix: 16)
        return prefix + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
