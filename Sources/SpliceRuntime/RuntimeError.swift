import SystemKit

/// Why the runtime could not start or inspect a container.
public enum RuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The spec asks for something malformed or contradictory.
    case invalidSpec(String)
    /// The spec asks for something this runtime does not do yet.
    case unsupported(String)
    /// A system call in the runtime or the monitor failed.
    case system(SystemError)
    /// The container's setup failed between fork and exec, at `step`.
    case containerSetup(step: String, errno: Errno)
    /// `splice-init` reported a failure or died without a report.
    case initFailed(String)
    /// An exec'd process could not start; the reason in runc's words (`exec: "nope": executable file not found in
    /// $PATH`).
    case execFailed(String)

    public var description: String {
        switch self {
        case .invalidSpec(let reason): "invalid container spec: \(reason)"
        case .unsupported(let what): "not supported yet: \(what)"
        case .system(let error): error.description
        case .containerSetup(let step, let errno): "container setup failed at \(step): \(errno)"
        case .initFailed(let reason): "splice-init failed: \(reason)"
        case .execFailed(let reason):
            "OCI runtime exec failed: exec failed: unable to start container process: \(reason)"
        }
    }
}
