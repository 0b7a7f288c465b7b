import Glibc
import SystemKit

/// A process started inside a running container through `splice-init exec`; the engine holds its stdio (pipes, or
/// a pseudo-terminal's master with `tty`). Blocking: use it from dedicated threads.
///
/// Thread-safety: `read` may run on one thread while `writeStdin`, `closeStdin`, `resize` and `wait` run on others.
public final class ExecProcess: Sendable {
    /// Starts `spec` in the namespaces and cgroup of `containerPid`; returns once the command has exec'd, or throws
    /// what went wrong (for example "executable file not found in $PATH").
    public static func start(_ spec: ExecSpec, containerPid: Int32, initPath: String) throws -> ExecProcess {
        throw RuntimeError.unsupported("exec")
    }

    private init() {}

    /// The process's pid on the host.
    public var pid: Int32 { 0 }

    /// The next piece of output; nil once stdout and stderr have both ended.
    public func read() throws -> AttachFrame? { nil }

    /// Sends `bytes` to the process's stdin (when started with `openStdin`).
    public func writeStdin(_ bytes: [UInt8]) throws { throw RuntimeError.unsupported("exec stdin") }

    /// Closes the process's stdin (EOF for it).
    public func closeStdin() throws {}

    /// Sets the terminal size (no effect without a TTY).
    public func resize(_ size: TerminalSize) throws {}

    /// Waits for the process to end and returns its exit code (128+N for signal N).
    public func wait() -> Int32 { 0 }

    /// Sends `signal` to the process.
    public func signal(_ signal: Int32) {}
}
