/// A `ByteSource` over bytes held in memory, handed out in pieces of at most `pieceSize`.
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    private let pieceSize: Int

    /// Creates a source over `bytes`.
    public init(_ bytes: [UInt8], pieceSize: Int = 4096) {
        self.bytes = bytes
        self.pieceSize = max(1, pieceSize)
    }

    /// See `ByteSource`.
    public func readLine() throws(ClientError) -> String? {
        guard offset < bytes.count else { return nil }
        let newline = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        var end = newline
        if end > offset, end <= bytes.count, end - 1 >= offset, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = String(decoding: bytes[offset..<end], as: UTF8.self)
        offset = min(bytes.count, newline + 1)
        return line
    }

    /// See `ByteSource`.
    public func readExactly(_ count: Int) throws(ClientError) -> [UInt8] {
        guard bytes.count - offset >= count else { throw .transport("unexpected EOF from daemon") }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// See `ByteSource`.
    public func readSome() throws(ClientError) -> [UInt8]? {
        guard offset < bytes.count else { return nil }
        let end = min(bytes.count, offset + pieceSize)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}
