/// Output of a container or exec for `logs`, `attach` and `exec start`.
public struct ProcessOutput: Sendable {
    /// Whether the process has a TTY: raw bytes when true, stdcopy frames when false.
    public var tty: Bool
    /// The chunks; the stream ends when the process's stdout and stderr reach EOF.
    public var chunks: AsyncThrowingStream<OutputChunk, any Error>

    /// Creates an output description.
    public init(tty: Bool, chunks: AsyncThrowingStream<OutputChunk, any Error>) {
        self.tty = tty
        self.chunks = chunks
    }
}
