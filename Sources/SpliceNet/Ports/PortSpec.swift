import NetlinkKit

/// One `-p` request as written: which host address and ports forward to which container ports.
public struct PortSpec: Sendable, Equatable, CustomStringConvertible {
    /// The host address to publish on; nil means every interface.
    public var hostIP: IPAddress?
    /// The host ports; nil asks for dynamic ports. A range with a single container port means "any one free port
    /// of this range"; otherwise it has as many ports as `containerPorts`, mapped one to one.
    public var hostPorts: ClosedRange<UInt16>?
    /// The container ports.
    public var containerPorts: ClosedRange<UInt16>
    /// The transport protocol.
    public var proto: PortProtocol

    /// Creates a spec; `PortSpecParser.parse` creates validated ones from text.
    public init(
        hostIP: IPAddress? = nil, hostPorts: ClosedRange<UInt16>? = nil, containerPorts: ClosedRange<UInt16>,
        proto: PortProtocol = .tcp
    ) {
        self.hostIP = hostIP
        self.hostPorts = hostPorts
        self.containerPorts = containerPorts
        self.proto = proto
    }

    /// The canonical `-p` text, such as `127.0.0.1:8080:80/tcp`, `[::1]::53/udp` or `8000-8010:80/tcp`.
    public var description: String {
        let container = Self.text(containerPorts) + "/" + proto.rawValue
        let host = hostPorts.map(Self.text) ?? ""
        switch hostIP {
        case .none: return hostPorts == nil ? container : host + ":" + container
        case .v4(let address): return "\(address):\(host):\(container)"
        case .v6(let address): return "[\(address)]:\(host):\(container)"
        }
    }

    /// `80` or `8000-8100`.
    static func text(_ ports: ClosedRange<UInt16>) -> String {
        ports.count == 1 ? "\(ports.lowerBound)" : "\(ports.lowerBound)-\(ports.upperBound)"
    }
}
