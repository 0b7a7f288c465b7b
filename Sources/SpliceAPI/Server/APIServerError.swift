/// Why the API server could not start listening.
public enum APIServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The socket path is held by a live server or by something that is not a socket.
    case socketPathInUse(path: String, reason: String)
    /// The socket group name does not exist.
    case unknownGroup(String)
    /// A TCP address is not `host:port`.
    case invalidTCPAddress(String)
    /// A system call failed.
    case system(operation: String, path: String, errno: Int32)
    /// A TLS file is missing, unreadable or not what it should be (`what` is "CA certificate", "certificate"...).
    case tls(what: String, path: String, reason: String)

    /// A readable message.
    public var description: String {
        switch self {
        case .socketPathInUse(let path, let reason): return "cannot listen on \(path): \(reason)"
        case .unknownGroup(let name): return "group \(name) not found"
        case .invalidTCPAddress(let address): return "invalid TCP address \(address): expected host:port"
        case .system(let operation, let path, let errno): return "\(operation) \(path): errno \(errno)"
        case .tls(let what, let path, let reason): return "could not load \(what) \"\(path)\": \(reason)"
        }
    }
}
