/// Why the API server could not start listening.
public enum APIServerError: Error, Sendable, Equatable {
    /// The socket path is held by a live server or by something that is not a socket.
    case socketPathInUse(path: String, reason: String)
    /// The socket group name does not exist.
    case unknownGroup(String)
    /// A TCP address is not `host:port`.
    case invalidTCPAddress(String)
    /// A system call failed.
    case system(operation: String, path: String, errno: Int32)
}
