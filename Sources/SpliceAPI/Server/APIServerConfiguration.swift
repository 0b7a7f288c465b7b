/// Where and how `APIServer` listens.
public struct APIServerConfiguration: Sendable {
    /// Group owning the unix socket.
    public enum SocketGroup: Sendable, Equatable {
        /// A group name, looked up with `getgrnam(3)`.
        case name(String)
        /// A numeric gid.
        case id(UInt32)
    }

    /// Path of the unix socket, for example `/run/splice.sock`.
    public var socketPath: String
    /// Permission bits of the socket file (default `0660`).
    public var socketMode: UInt32 = 0o660
    /// Group of the socket file; nil keeps the creating process's group.
    public var socketGroup: SocketGroup?
    /// Optional plain TCP listener, `host:port` (TLS is not implemented yet).
    public var tcpAddress: String?
    /// Version shown in the `Server` header (`Docker/<version> (linux)`).
    public var serverVersion: String = "0.1.0"

    /// Creates a configuration for a unix socket.
    public init(socketPath: String, socketGroup: SocketGroup? = nil, tcpAddress: String? = nil) {
        self.socketPath = socketPath
        self.socketGroup = socketGroup
        self.tcpAddress = tcpAddress
    }
}
