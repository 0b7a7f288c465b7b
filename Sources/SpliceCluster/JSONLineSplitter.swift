import NIOCore

/// Cuts a streamed gateway answer into its newline-delimited JSON messages.
struct JSONLineSplitter {
    private var pending: [UInt8] = []

    /// Adds received bytes.
    mutating func append(_ buffer: ByteBuffer) { pending.append(contentsOf: buffer.readableBytesView) }

    /// Adds received bytes.
    mutating func append(_ bytes: [UInt8]) { pending.append(contentsOf: bytes) }

    /// The next complete message (without its newline), or nil until one has fully arrived.
    mutating func next() -> [UInt8]? {
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { return line }
        }
        return nil
    }
}
