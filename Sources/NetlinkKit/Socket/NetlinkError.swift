import SystemKit

/// A netlink failure: the kernel's refusal with its errno and extended-ACK text, or a protocol problem.
public enum NetlinkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kernel refused `operation` with `errno`; `message` is the extended-ACK text, if the kernel sent one.
    case kernel(errno: Errno, operation: String, message: String?)
    /// A reply could not be decoded.
    case malformed(reason: String, offset: Int)
    /// A reply carried a sequence number or port id that does not match the request.
    case sequenceMismatch(expected: UInt32, received: UInt32)
    /// The kernel's dump changed while it was read (`NLM_F_DUMP_INTR`); the caller may retry.
    case dumpInterrupted
    /// A socket call failed.
    case system(SystemError)

    /// The errno behind this error, if there is one.
    public var errno: Errno? {
        switch self {
        case .kernel(let errno, _, _): errno
        case .system(let error): error.errno
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .kernel(let errno, let operation, let message):
            let text = message.flatMap { $0.isEmpty ? nil : $0 } ?? errno.message.lowercased()
            return "cannot \(operation): \(text) (\(errno.name))"
        case .malformed(let reason, let offset): return "malformed netlink reply at byte \(offset): \(reason)"
        case .sequenceMismatch(let expected, let received):
            return "netlink reply out of order: expected sequence \(expected), got \(received)"
        case .dumpInterrupted: return "netlink dump was interrupted by a concurrent change; retry"
        case .system(let error): return error.description
        }
    }
}
