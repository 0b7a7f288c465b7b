/// Output of a container or exec for `logs`, `attach` and `exec start`.
public struct ProcessOutput: Sendable {
    /// Whether the process has a TTY: raw bytes when true, stdcopy frames when false.
    public var tty: Bool
    /// The chunks; the stream ends when the process's stdout and stderr reach EOF.
    public var chunks: AsyncThrowingStream<OutputChunk, any Error>
    /// Called by the server once a hijacked response's head is on the wire. An exec waits for it before its
    /// process starts, as dockerd's does: a client that reads the head through a buffered reader and the stream
    /// from the raw socket afterwards (docker-py) would otherwise lose output sent along with the head.
    public var headWritten: (@Sendable () -> Void)?

    /// Creates an output description.
    public init(tty: Bool, chunks: AsyncThrowingStream<OutputChunk, any Error>,
                headWritten: (@Sendable () -> Void)? = nil) {
        self.tty = tty
        self.chunks = chunks
        self.headWritten = headWritten
    }
}
