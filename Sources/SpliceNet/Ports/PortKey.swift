import NetlinkKit

/// The host side of a published port: the address, port and protocol a mapping claims on the host.
public struct PortKey: Hashable, Sendable, CustomStringConvertible {
    /// The host address; nil means every interface.
    public var hostIP: IPAddress?
    /// The host port.
    public var hostPort: UInt16
    /// The transport protocol.
    public var proto: PortProtocol

    /// Creates a key.
    public init(hostIP: IPAddress? = nil, hostPort: UInt16, proto: PortProtocol = .tcp) {
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.proto = proto
    }

    /// Whether the key claims every address (nil, `0.0.0.0` or `::`).
    public var isWildcard: Bool {
        guard let hostIP else { return true }
        return hostIP.bytes.allSatisfy { $0 == 0 }
    }

    /// Whether both keys cannot be published at once: same port and protocol, and the same address or either
    /// one on every address.
    public func conflicts(with other: PortKey) -> Bool {
        hostPort == other.hostPort && proto == other.proto && (isWildcard || other.isWildcard || hostIP == other.hostIP)
    }

    /// `0.0.0.0:8080/tcp`, `127.0.0.1:8080/tcp` or `[::1]:8080/tcp`.
    public var description: String {
        let address =
            switch hostIP {
            case .none: "0.0.0.0"
            case .v4(let v4): v4.description
            case .v6(let v6): "[\(v6)]"
            }
        return "\(address):\(hostPort)/\(proto)"
    }
}
