/// One published port of a running container.
public struct PublishedPort: Codable, Sendable, Equatable {
    /// The host address, empty for all addresses.
    public var hostIP: String
    /// The host port.
    public var hostPort: Int
    /// The container port.
    public var containerPort: Int
    /// `tcp`, `udp` or `sctp`.
    public var proto: String

    /// Creates a published port.
    public init(hostIP: String, hostPort: Int, containerPort: Int, proto: String) {
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.proto = proto
    }
}
