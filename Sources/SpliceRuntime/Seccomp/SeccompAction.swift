import CLinuxShims
import Glibc

/// What the kernel does when a seccomp rule matches.
public enum SeccompAction: Equatable, Hashable, Sendable {
    /// Kill the thread (`SCMP_ACT_KILL`, `SCMP_ACT_KILL_THREAD`).
    case killThread
    /// Kill the process (`SCMP_ACT_KILL_PROCESS`).
    case killProcess
    /// Send SIGSYS (`SCMP_ACT_TRAP`).
    case trap
    /// Fail with this errno (`SCMP_ACT_ERRNO`).
    case errno(UInt16)
    /// Notify a tracer with this value (`SCMP_ACT_TRACE`).
    case trace(UInt16)
    /// Allow and log (`SCMP_ACT_LOG`).
    case log
    /// Allow (`SCMP_ACT_ALLOW`).
    case allow

    /// Parses a Docker action name; `errnoRet` is the value for `SCMP_ACT_ERRNO` and `SCMP_ACT_TRACE`.
    public init(name: String, errnoRet: UInt32?) throws(RuntimeError) {
        let data = UInt16(truncatingIfNeeded: errnoRet ?? UInt32(EPERM))
        switch name {
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": self = .killThread
        case "SCMP_ACT_KILL_PROCESS": self = .killProcess
        case "SCMP_ACT_TRAP": self = .trap
        case "SCMP_ACT_ERRNO": self = .errno(data)
        case "SCMP_ACT_TRACE": self = .trace(UInt16(truncatingIfNeeded: errnoRet ?? 0))
        case "SCMP_ACT_LOG": self = .log
        case "SCMP_ACT_ALLOW": self = .allow
        default: throw .invalidSpec("unknown seccomp action \"\(name)\"")
        }
    }

    /// The kernel's `SECCOMP_RET_*` value, which is also libseccomp's `SCMP_ACT_*` value.
    public var rawValue: UInt32 {
        switch self {
        case .killThread: UInt32(SECCOMP_RET_KILL_THREAD)
        case .killProcess: UInt32(SECCOMP_RET_KILL_PROCESS)
        case .trap: UInt32(SECCOMP_RET_TRAP)
        case .errno(let value): UInt32(SECCOMP_RET_ERRNO) | (UInt32(value) & UInt32(SECCOMP_RET_DATA))
        case .trace(let value): UInt32(SECCOMP_RET_TRACE) | (UInt32(value) & UInt32(SECCOMP_RET_DATA))
        case .log: UInt32(SECCOMP_RET_LOG)
        case .allow: UInt32(SECCOMP_RET_ALLOW)
        }
    }
}
