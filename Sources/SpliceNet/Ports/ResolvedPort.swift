import NetlinkKit

/// One concrete mapping after dynamic ports are chosen and ranges expanded: host port to container port.
public struct ResolvedPort: Hashable, Sendable, CustomStringConvertible {
    /// The host address; nil means every interface.
    public var hostIP: IPAddress?
    /// The host port.
    public var hostPort: UInt16
    /// The container port.
    public var containerPort: UInt16
    /// The transport protocol.
    public var proto: PortProtocol

    /// Creates a mapping.
    public init(hostIP: IPAddress? = nil, hostPort: UInt16, containerPort: UInt16, proto: PortProtocol = .tcp) {
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.proto = proto
    }

    /// The host side this mapping claims.
    public var key: PortKey { PortKey(hostIP: hostIP, hostPort: hostPort, proto: proto) }

    /// `docker ps` style: `0.0.0.0:49153->80/tcp`.
    public var description: String {
        let host = key.description.prefix { $0 != "/" }
        return "\(host)->\(containerPort)/\(proto)"
    }
}
