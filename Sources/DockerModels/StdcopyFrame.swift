/// Docker's multiplexed stream frame (contract 7.2): stream id, three zero bytes, big-endian length, payload.
public enum StdcopyFrame {
    /// Size of the frame header.
    public static let headerSize = 8

    /// Encodes one frame.
    public static func encode(_ stream: OutputChunk.Stream, _ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(truncatingIfNeeded: payload.count)
        var frame: [UInt8] = [stream.rawValue, 0, 0, 0,
                              UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF),
                              UInt8(length & 0xFF)]
        frame += payload
        return frame
    }

    /// Decodes every complete frame in `bytes`; returns the chunks and the count of bytes consumed.
    public static func decode(_ bytes: [UInt8]) -> (chunks: [OutputChunk], consumed: Int) {
        var chunks: [OutputChunk] = []
        var offset = 0
        while bytes.count - offset >= headerSize {
            let length = Int(bytes[offset + 4]) << 24 | Int(bytes[offset + 5]) << 16 | Int(bytes[offset + 6]) << 8
                | Int(bytes[offset + 7])
            guard bytes.count - offset - headerSize >= length else { break }
            let stream = OutputChunk.Stream(rawValue: bytes[offset]) ?? .stdout
            chunks.append(OutputChunk(stream, Array(bytes[(offset + headerSize)..<(offset + headerSize + length)])))
            offset += headerSize + length
        }
        return (chunks, offset)
    }
}
