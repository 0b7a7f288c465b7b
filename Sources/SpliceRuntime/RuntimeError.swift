import SystemKit

/// Why the runtime could not start or inspect a container.
public enum RuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The spec asks for something malformed or contradictory.
    case invalidSpec(String)
    /// The spec asks for something this runtime does not do yet.
    case unsupported(String)
    /// A system call in the runtime or the monitor failed.
    case system(SystemError)
    /// `splice-init` reported a failure or died without a report.
    case initFailed(String)
    /// The container's first process could not start; the reason in runc's words, which clients match for exit
    /// codes 126 and 127 (`exec: "/nope": stat /nope: no such file or directory`).
    case startFailed(String)
    /// An exec'd process could not start; the reason in runc's words (`exec: "nope": executable file not found in
    /// $PATH`).
    case execFailed(String)

    public var description: String {
        switch self {
        case .invalidSpec(let reason): "invalid container spec: \(reason)"
        case .unsupported(let what): "not supported yet: \(what)"
        case .system(let error): error.description
        case .initFailed(let reason): "splice-init failed: \(reason)"
        case .startFailed(let reason):
            "OCI runtime create failed: runc create failed: unable to start container process: \(reason)"
        case .execFailed(let reason):
            "OCI runtime exec failed: exec failed: unable to start container process: \(reason)"
        }
    }
}
