import SystemKit

/// A client of a running container's monitor, over `attach.sock` in its state directory: receives the live output
/// (from the moment of connecting), forwards stdin (when the container was started with `openStdin`) and resizes
/// its terminal. Blocking: use it from a dedicated thread, never from a concurrency thread.
///
/// Thread-safety: `read` may run on one thread while `writeStdin`, `closeStdin` and `resize` run on another.
public final class AttachConnection: Sendable {
    /// Connects to the monitor of the container whose state directory is `stateDirectory`. With `replay`, the
    /// output since the container started (the monitor keeps up to 1 MiB of it) comes first, so a client that
    /// attached before `start` (as `docker run -it` does) misses nothing; without it, only new output comes.
    public static func connect(stateDirectory: String, replay: Bool = false) throws -> AttachConnection {
        throw RuntimeError.unsupported("attach")
    }

    private init() {}

    /// The next piece of output; nil once the container's output has ended (it exited) or the connection closed.
    public func read() throws -> AttachFrame? { nil }

    /// Sends `bytes` to the container's stdin. Fails when the container was not started with `openStdin`.
    public func writeStdin(_ bytes: [UInt8]) throws { throw RuntimeError.unsupported("attach stdin") }

    /// Ends this client's stdin; with `stdinOnce` the container's stdin closes (EOF) too.
    public func closeStdin() throws { throw RuntimeError.unsupported("attach stdin") }

    /// Sets the container's terminal size (no effect without a TTY).
    public func resize(_ size: TerminalSize) throws { throw RuntimeError.unsupported("resize") }

    /// Disconnects; the container keeps running.
    public func close() {}
}
