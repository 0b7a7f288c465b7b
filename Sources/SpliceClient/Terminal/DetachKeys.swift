/// The detach sequence (`--detach-keys`, default Ctrl-P Ctrl-Q) and a filter that finds it in stdin, as the
/// docker CLI's escape proxy does: bytes that may start the sequence are held back, and the sequence itself is
/// never forwarded.
public struct DetachKeys: Sendable, Equatable {
    /// The key codes of the sequence.
    public let sequence: [UInt8]
    private var matched = 0

    /// Ctrl-P Ctrl-Q.
    public static let defaultSequence: [UInt8] = [0x10, 0x11]

    /// Creates a detector for `sequence` (must not be empty; the default is used then).
    public init(sequence: [UInt8] = DetachKeys.defaultSequence) {
        self.sequence = sequence.isEmpty ? Self.defaultSequence : sequence
    }

    /// Parses docker's `ctrl-p,ctrl-q` / `a,ctrl-@` form (moby/term `ToBytes`); nil when a key is unknown.
    public static func parse(_ text: String) -> [UInt8]? {
        var codes: [UInt8] = []
        for key in text.split(separator: ",", omittingEmptySubsequences: false) {
            if key.utf8.count == 1, let byte = key.utf8.first {
                codes.append(byte)
                continue
            }
            let lower = key.lowercased()
            guard lower.hasPrefix("ctrl-"), lower.count == 6, let last = lower.utf8.last else { return nil }
            switch last {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): codes.append(last - UInt8(ascii: "a") + 1)
            case UInt8(ascii: "@"): codes.append(0)
            case UInt8(ascii: "["), UInt8(ascii: "\\"), UInt8(ascii: "]"), UInt8(ascii: "^"), UInt8(ascii: "_"):
                codes.append(last - 0x40)
            default: return nil
            }
        }
        return codes.isEmpty ? nil : codes
    }

    /// Feeds bytes read from stdin; returns what to forward now and whether the full sequence was typed.
    public mutating func feed(_ bytes: [UInt8]) -> (forward: [UInt8], detached: Bool) {
        var forward: [UInt8] = []
        for byte in bytes {
            if byte == sequence[matched] {
                matched += 1
                if matched == sequence.count {
                    matched = 0
                    return (forward, true)
                }
                continue
            }
            if matched > 0 {
                forward += sequence[0..<matched]
                matched = 0
                if byte == sequence[0] {
                    matched = 1
                    continue
                }
            }
            forward.append(byte)
        }
        return (forward, false)
    }
}
