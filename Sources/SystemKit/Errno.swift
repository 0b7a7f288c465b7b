import CLinuxShims
import Glibc

/// A POSIX error number with a readable name and the C library's description.
public struct Errno: Hashable, Sendable, CustomStringConvertible {
    /// The raw `errno` value.
    public let rawValue: Int32

    /// Creates an `Errno` from a raw value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's current `errno`.
    public static var current: Errno { Errno(rawValue: cls_errno()) }

    public static let notPermitted = Errno(rawValue: EPERM)
    public static let noSuchFileOrDirectory = Errno(rawValue: ENOENT)
    public static let noSuchProcess = Errno(rawValue: ESRCH)
    public static let interrupted = Errno(rawValue: EINTR)
    public static let ioError = Errno(rawValue: EIO)
    public static let badFileDescriptor = Errno(rawValue: EBADF)
    public static let tryAgain = Errno(rawValue: EAGAIN)
    public static let noMemory = Errno(rawValue: ENOMEM)
    public static let permissionDenied = Errno(rawValue: EACCES)
    public static let busy = Errno(rawValue: EBUSY)
    public static let exists = Errno(rawValue: EEXIST)
    public static let noSuchDevice = Errno(rawValue: ENODEV)
    public static let invalidArgument = Errno(rawValue: EINVAL)
    public static let noSpace = Errno(rawValue: ENOSPC)
    public static let range = Errno(rawValue: ERANGE)
    public static let notSupported = Errno(rawValue: EOPNOTSUPP)
    public static let addressNotAvailable = Errno(rawValue: EADDRNOTAVAIL)
    public static let networkUnreachable = Errno(rawValue: ENETUNREACH)
    public static let timedOut = Errno(rawValue: ETIMEDOUT)
    public static let exchangeFull = Errno(rawValue: EXFULL)
    public static let protocolNotSupported = Errno(rawValue: EPROTONOSUPPORT)

    /// The symbolic name, such as `EEXIST`.
    public var name: String {
        switch rawValue {
        case EPERM: "EPERM"
        case ENOENT: "ENOENT"
        case ESRCH: "ESRCH"
        case EINTR: "EINTR"
        case EIO: "EIO"
        case EBADF: "EBADF"
        case EAGAIN: "EAGAIN"
        case ENOMEM: "ENOMEM"
        case EACCES: "EACCES"
        case EBUSY: "EBUSY"
        case EEXIST: "EEXIST"
        case ENODEV: "ENODEV"
        case ENOTDIR: "ENOTDIR"
        case EINVAL: "EINVAL"
        case ENOSPC: "ENOSPC"
        case ERANGE: "ERANGE"
        case EOPNOTSUPP: "EOPNOTSUPP"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case EADDRINUSE: "EADDRINUSE"
        case ENETUNREACH: "ENETUNREACH"
        case ETIMEDOUT: "ETIMEDOUT"
        case EXFULL: "EXFULL"
        case EPROTONOSUPPORT: "EPROTONOSUPPORT"
        case ENOBUFS: "ENOBUFS"
        case ECONNREFUSED: "ECONNREFUSED"
        case ENOTCONN: "ENOTCONN"
        case EMSGSIZE: "EMSGSIZE"
        case ENAMETOOLONG: "ENAMETOOLONG"
        case EAFNOSUPPORT: "EAFNOSUPPORT"
        case ENOTSUP: "ENOTSUP"
        default: "errno \(rawValue)"
        }
    }

    /// The C library's text for this error, as `strerror(3)` gives it.
    public var message: String { String(cString: strerror(rawValue)) }

    public var description: String { "\(message) (\(name))" }

    /// Whether this errno means "the object is already gone", which teardown treats as success.
    public var meansAlreadyGone: Bool {
        self == .noSuchDevice || self == .noSuchFileOrDirectory || self == .noSuchProcess
            || self == .addressNotAvailable
    }
}
