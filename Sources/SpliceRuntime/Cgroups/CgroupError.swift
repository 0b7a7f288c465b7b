import SystemKit

/// Why a cgroup operation or a resource-limit option failed.
public enum CgroupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A user-supplied option value is malformed or out of range, with Docker's wording.
    case invalidArgument(option: String, message: String)
    /// The kernel or the cgroup layout cannot honour the option; `reason` says what is missing.
    case unsupported(option: String, reason: String)
    /// A system call on a cgroup file or directory failed.
    case system(SystemError)
    /// The kernel did not reach the requested state (such as FROZEN) in time.
    case timedOut(operation: String, path: String)

    /// A one-line message for users.
    public var description: String {
        switch self {
        case .invalidArgument(let option, let message): return "\(option): \(message)"
        case .unsupported(let option, let reason): return "\(option): \(reason)"
        case .system(let error): return error.description
        case .timedOut(let operation, let path): return "\(operation) \(path): timed out"
        }
    }
}
