/// One piece of a container's (or exec's) output as the monitor hands it to an attached client.
public struct AttachFrame: Sendable, Equatable {
    /// Which stream it came from; with a TTY everything is `.stdout`.
    public enum Stream: UInt8, Sendable {
        case stdout = 1
        case stderr = 2
    }

    /// The stream.
    public var stream: Stream
    /// The bytes, as the process wrote them.
    public var bytes: [UInt8]

    /// Creates a frame.
    public init(stream: Stream, bytes: [UInt8]) {
        self.stream = stream
        self.bytes = bytes
    }
}
