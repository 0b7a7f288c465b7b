/// Cuts one output stream into log records: each complete line (with its newline), a partial line once it
/// reaches `maximumLength` bytes (Docker's 16 KiB), and the rest at end of stream.
public struct LogLineSplitter: Sendable {
    /// The longest record; longer lines are split, as Docker splits them.
    public let maximumLength: Int
    private var pending: [UInt8] = []

    /// Creates a splitter.
    public init(maximumLength: Int = 16 * 1024) { self.maximumLength = maximumLength }

    /// Adds `bytes` and returns the records they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [[UInt8]] {
        var records: [[UInt8]] = []
        for byte in bytes {
            pending.append(byte)
            if byte == UInt8(ascii: "\n") || pending.count >= maximumLength {
                records.append(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        return records
    }

    /// Returns the unterminated rest at end of stream, if any.
    public mutating func finish() -> [UInt8]? {
        defer { pending = [] }
        return pending.isEmpty ? nil : pending
    }
}
