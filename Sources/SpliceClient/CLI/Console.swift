#if canImport(Glibc)
import Glibc
#endif

/// Where command output goes: the process's stdout/stderr, or buffers in tests.
public struct Console: Sendable {
    /// Writes bytes to standard output.
    public var stdout: @Sendable ([UInt8]) -> Void
    /// Writes bytes to standard error.
    public var stderr: @Sendable ([UInt8]) -> Void

    /// Creates a console from two writers.
    public init(stdout: @escaping @Sendable ([UInt8]) -> Void, stderr: @escaping @Sendable ([UInt8]) -> Void) {
        self.stdout = stdout
        self.stderr = stderr
    }

    /// The process's file descriptors 1 and 2.
    public static let standard = Console(stdout: { writeAll(1, $0) }, stderr: { writeAll(2, $0) })

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    /// Prints a line on stdout.
    public func out(_ line: String) { stdout(Array((line + "\n").utf8)) }

    /// Prints text on stdout as is.
    public func write(_ text: String) { stdout(Array(text.utf8)) }

    /// Prints a line on stderr.
    public func err(_ line: String) { stderr(Array((line + "\n").utf8)) }
}
