/// Cuts a byte stream into `AttachMessage`s: feed what arrives, take messages while complete ones are buffered.
struct AttachMessageDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0

    /// Creates an empty decoder.
    init() {}

    /// Bytes received but not yet decoded.
    var pendingCount: Int { buffer.count - start }

    /// Appends received bytes.
    mutating func feed(_ bytes: some Sequence<UInt8>) {
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, or nil until more bytes arrive; throws on a malformed or oversized frame.
    mutating func next() throws(AttachProtocolError) -> AttachMessage? {
        guard pendingCount >= AttachMessage.headerSize else { return nil }
        let type = buffer[start]
        var length = 0
        for index in 1...4 { length = length << 8 | Int(buffer[start + index]) }
        guard length <= AttachMessage.maximumPayload + 1 else { throw .malformed("payload of \(length) bytes") }
        guard pendingCount >= AttachMessage.headerSize + length else { return nil }
        let payloadStart = start + AttachMessage.headerSize
        let message = try AttachMessage.decode(type: type, payload: buffer[payloadStart..<payloadStart + length])
        start = payloadStart + length
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        return message
    }
}
