import Logging

/// Where and how `APIServer` listens.
public struct APIServerConfiguration: Sendable {
    /// Group owning the unix socket.
    public enum SocketGroup: Sendable, Equatable {
        /// A group name, looked up with `getgrnam(3)`.
        case name(String)
        /// A numeric gid.
        case id(UInt32)
    }

    /// Paths of the unix sockets (`-H unix:///path`, repeatable); may be empty when only TCP is asked for.
    public var socketPaths: [String]
    /// Permission bits of the socket files (default `0660`).
    public var socketMode: UInt32 = 0o660
    /// Group of the socket files; nil keeps the creating process's group.
    public var socketGroup: SocketGroup?
    /// TCP listeners, each `host:port` (`-H tcp://host:port`, repeatable).
    public var tcpAddresses: [String]
    /// TLS for the TCP listeners; nil serves plain HTTP on them.
    public var tls: APIServerTLS?
    /// Version shown in the `Server` header (`Docker/<version> (linux)`).
    public var serverVersion: String = "0.1.0"
    /// Where requests are logged: one debug line each, an error line for each 5xx; silent by default.
    public var logger = Logger(label: "splice.api", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Creates a configuration for a unix socket and optionally one TCP listener.
    public init(socketPath: String, socketGroup: SocketGroup? = nil, tcpAddress: String? = nil) {
        self.socketPaths = [socketPath]
        self.socketGroup = socketGroup
        self.tcpAddresses = tcpAddress.map { [$0] } ?? []
    }

    /// Creates a configuration for any number of unix sockets and TCP listeners.
    public init(socketPaths: [String], tcpAddresses: [String], socketGroup: SocketGroup? = nil,
                tls: APIServerTLS? = nil) {
        self.socketPaths = socketPaths
        self.tcpAddresses = tcpAddresses
        self.socketGroup = socketGroup
        self.tls = tls
    }

    /// The first unix socket path, or "" without one.
    public var socketPath: String { socketPaths.first ?? "" }

    /// The first TCP listener, if any.
    public var tcpAddress: String? { tcpAddresses.first }
}
