import struct EngineErrors.EngineError

/// One `-v` text, parsed as dockerd's Linux parser does: `/ctr` (anonymous), `/host:/ctr[:mode]` (bind),
/// `name:/ctr[:mode]` (named volume).
public struct VolumeSpec: Sendable, Equatable {
    /// Where the mount comes from.
    public enum Source: Sendable, Equatable {
        /// A new anonymous volume.
        case anonymous
        /// A host path.
        case bind(String)
        /// A named volume.
        case named(String)
    }

    /// Where the mount comes from.
    public var source: Source
    /// The absolute path inside the container.
    public var destination: String
    /// The mode text (`ro`, `rw,z` …), empty when none was given.
    public var mode: String
    /// Whether the mode asks for read-only.
    public var readOnly: Bool { mode.split(separator: ",").contains("ro") }

    /// The mode words dockerd accepts.
    static let modes: Set<String> = [
        "ro", "rw", "z", "Z", "nocopy", "private", "rprivate", "shared", "rshared", "slave", "rslave", "consistent",
        "cached", "delegated",
    ]

    /// Parses `text` with dockerd's errors.
    public static func parse(_ text: String) throws(EngineError) -> VolumeSpec {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let spec: VolumeSpec
        switch parts.count {
        case 1:
            spec = VolumeSpec(source: .anonymous, destination: parts[0], mode: "")
        case 2, 3:
            guard !parts[0].isEmpty else { throw invalid(text) }
            let source: Source
            if parts[0].hasPrefix("/") {
                source = .bind(parts[0])
            } else {
                guard isValidName(parts[0]) else {
                    throw EngineError(.invalidArgument, "create \(parts[0]): \"\(parts[0])\" includes invalid"
                        + " characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you"
                        + " intended to pass a host directory, use absolute path")
                }
                source = .named(parts[0])
            }
            spec = VolumeSpec(source: source, destination: parts[1], mode: parts.count == 3 ? parts[2] : "")
        default:
            throw invalid(text)
        }
        guard spec.destination.hasPrefix("/") else {
            throw EngineError(.invalidArgument, "invalid volume specification: '\(text)': invalid mount config:"
                + " invalid mount path: '\(spec.destination)' mount path must be absolute")
        }
        guard spec.destination != "/" else {
            throw EngineError(.invalidArgument, "invalid volume specification: '\(text)': invalid mount config:"
                + " destination can't be '/'")
        }
        guard !spec.destination.split(separator: "/").contains("..") else { throw invalid(text) }
        if !spec.mode.isEmpty {
            let words = spec.mode.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard words.allSatisfy(modes.contains), !(words.contains("ro") && words.contains("rw")) else {
                throw EngineError(.invalidArgument, "invalid mode: \(spec.mode)")
            }
        }
        return spec
    }

    /// Docker's local volume name rule, `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
    public static func isValidName(_ name: String) -> Bool {
        func alphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        let bytes = Array(name.utf8)
        guard bytes.count >= 2, alphanumeric(bytes[0]) else { return false }
        let punctuation: Set<UInt8> = [UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-")]
        return bytes.allSatisfy { alphanumeric($0) || punctuation.contains($0) }
    }

    /// Parses `--volumes-from C[:ro|rw]` into the container reference and the forced mode (nil keeps C's).
    public static func parseVolumesFrom(_ text: String) throws(EngineError) -> (container: String, readOnly: Bool?) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard !parts[0].isEmpty, parts.count <= 2 else {
            throw EngineError(.invalidArgument, "invalid volumes-from specification: '\(text)'")
        }
        guard parts.count == 2 else { return (parts[0], nil) }
        switch parts[1] {
        case "ro": return (parts[0], true)
        case "rw": return (parts[0], false)
        default: throw EngineError(.invalidArgument, "invalid mode for volumes-from: \(parts[1])")
        }
    }

    private static func invalid(_ text: String) -> EngineError {
        EngineError(.invalidArgument, "invalid volume specification: '\(text)'")
    }
}
