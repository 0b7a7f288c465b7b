/// Bytes a process wrote on one of its streams, framed by the API per contract 7.2.
public struct OutputChunk: Sendable, Equatable {
    /// Stream identifiers used in stdcopy frames.
    public enum Stream: UInt8, Sendable {
        /// Stream 0 (unused for output).
        case stdin = 0
        /// Stream 1.
        case stdout = 1
        /// Stream 2.
        case stderr = 2
    }

    /// Which stream (ignored for TTY output, which is sent raw).
    public var stream: Stream
    /// The bytes.
    public var bytes: [UInt8]

    /// Creates a chunk.
    public init(_ stream: Stream, _ bytes: [UInt8]) {
        self.stream = stream
        self.bytes = bytes
    }

    /// Creates a chunk from UTF-8 text.
    public init(_ stream: Stream, _ text: String) { self.init(stream, Array(text.utf8)) }
}
