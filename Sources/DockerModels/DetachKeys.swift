import struct EngineErrors.EngineError

/// The key sequence that ends an attach session without stopping the container (Docker's `--detach-keys`,
/// default Ctrl-P Ctrl-Q), and the matcher that watches a client's stdin for it across chunk boundaries.
public struct DetachKeys: Sendable, Equatable {
    /// Docker's default, `ctrl-p,ctrl-q`.
    public static let standard = DetachKeys(bytes: [16, 17])

    /// The bytes of the sequence; empty never matches.
    public let bytes: [UInt8]

    /// Creates a sequence from its bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses Docker's syntax: comma-separated keys, each a single character or `ctrl-<a..z|@|[|\|]|^|_>`.
    /// Nil or empty gives the default.
    public init(parsing text: String?) throws(EngineError) {
        guard let text, !text.isEmpty else {
            self = .standard
            return
        }
        var codes: [UInt8] = []
        for key in text.split(separator: ",", omittingEmptySubsequences: false) {
            if key.utf8.count == 1, let byte = key.utf8.first {
                codes.append(byte)
                continue
            }
            let lower = key.lowercased()
            guard lower.hasPrefix("ctrl-"), lower.utf8.count == 6, let last = lower.utf8.last else {
                throw Self.invalid(text, key)
            }
            switch last {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): codes.append(last - UInt8(ascii: "a") + 1)
            case UInt8(ascii: "@"): codes.append(0)
            case UInt8(ascii: "["): codes.append(27)
            case UInt8(ascii: "\\"): codes.append(28)
            case UInt8(ascii: "]"): codes.append(29)
            case UInt8(ascii: "^"): codes.append(30)
            case UInt8(ascii: "_"): codes.append(31)
            default:
                throw Self.invalid(text, key)
            }
        }
        self.init(bytes: codes)
    }

    /// The bytes of `--detach-keys` as the docker CLI takes them: nil, empty or unknown keys give the default.
    public static func bytes(docker text: String?) -> [UInt8] {
        ((try? DetachKeys(parsing: text)) ?? .standard).bytes
    }

    /// Docker's error for a key it does not know.
    private static func invalid(_ text: String, _ key: Substring) -> EngineError {
        EngineError(.invalidArgument, "Invalid detach keys (\(text)) provided: Unknown character: '\(key)'")
    }

    /// Watches stdin chunks for the sequence: holds back bytes while they could be its start, forwards them once
    /// they stop matching, and never forwards the complete sequence.
    public struct Matcher: Sendable {
        /// The sequence.
        public let keys: DetachKeys
        private var held: [UInt8] = []

        /// Creates a matcher with nothing held.
        public init(_ keys: DetachKeys) { self.keys = keys }

        /// Feeds one chunk: the bytes to forward now, and whether the sequence completed (bytes after it dropped).
        public mutating func feed(_ chunk: [UInt8]) -> (forward: [UInt8], detached: Bool) {
            guard !keys.bytes.isEmpty else { return (chunk, false) }
            var forward: [UInt8] = []
            var pending = chunk[...]
            while let byte = pending.first {
                pending = pending.dropFirst()
                if byte == keys.bytes[held.count] {
                    held.append(byte)
                    if held.count == keys.bytes.count {
                        held = []
                        return (forward, true)
                    }
                } else if held.isEmpty {
                    forward.append(byte)
                } else {
                    // The held bytes stopped matching: the first goes out, the rest is looked at again.
                    forward.append(held[0])
                    pending = (Array(held.dropFirst()) + [byte] + Array(pending))[...]
                    held = []
                }
            }
            return (forward, false)
        }
    }
}
