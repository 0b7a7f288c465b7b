import SpliceRuntime

/// The output of an attached container or exec: frames as the process writes them, raw when it has a TTY.
public struct AttachedOutput: Sendable {
    /// Whether the process has a TTY (one raw stream) or not (stdout and stderr frames).
    public var tty: Bool
    /// The frames; the stream ends when the output ends or the client detaches.
    public var frames: AsyncThrowingStream<AttachFrame, any Error>
    /// To call once the client has the response head: an exec's process starts only then.
    public var headWritten: (@Sendable () -> Void)?

    /// Creates an output.
    public init(tty: Bool, frames: AsyncThrowingStream<AttachFrame, any Error>,
                headWritten: (@Sendable () -> Void)? = nil) {
        self.tty = tty
        self.frames = frames
        self.headWritten = headWritten
    }
}
