import SpliceRuntime

/// The output of an attached container or exec: frames as the process writes them, raw when it has a TTY.
public struct AttachedOutput: Sendable {
    /// Whether the process has a TTY (one raw stream) or not (stdout and stderr frames).
    public var tty: Bool
    /// The frames; the stream ends when the output ends or the client detaches.
    public var frames: AsyncThrowingStream<AttachFrame, any Error>

    /// Creates an output.
    public init(tty: Bool, frames: AsyncThrowingStream<AttachFrame, any Error>) {
        self.tty = tty
        self.frames = frames
    }
}
