/// A failed system call: which operation, its errno, and the path it concerned, if any.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The operation that failed, such as `"setns"`.
    public let operation: String
    /// The error number the kernel returned.
    public let errno: Errno
    /// The file system path involved, if any.
    public let path: String?

    /// Creates a system error.
    public init(_ operation: String, errno: Errno, path: String? = nil) {
        self.operation = operation
        self.errno = errno
        self.path = path
    }

    /// Captures the calling thread's current `errno` for `operation`.
    public static func current(_ operation: String, path: String? = nil) -> SystemError {
        SystemError(operation, errno: .current, path: path)
    }

    public var description: String {
        if let path { return "\(operation) \(path): \(errno)" }
        return "\(operation): \(errno)"
    }
}

/// Runs a system call wrapper, retrying on `EINTR`, and throws `SystemError` when it returns -1.
@discardableResult
public func retryingInterrupts<T: BinaryInteger>(
    _ operation: String, path: String? = nil, _ call: () -> T
) throws(SystemError) -> T {
    while true {
        let result = call()
        if result != -1 { return result }
        let errno = Errno.current
        if errno == .interrupted { continue }
        throw SystemError(operation, errno: errno, path: path)
    }
}
