import SystemKit

/// One published port: traffic to `hostAddress:hostPort` (or any host address) is DNATed to
/// `containerAddress:containerPort` on `bridge`, as `docker run -p [hostAddress:]hostPort:containerPort/proto` does.
public struct PortMapping: Sendable, Hashable, CustomStringConvertible {
    /// The transport protocol of a mapping.
    public enum `Protocol`: String, Sendable, Hashable, CaseIterable {
        /// TCP.
        case tcp
        /// UDP.
        case udp
    }

    /// The transport protocol.
    public var proto: `Protocol`
    /// The host address the port is published on; nil publishes on every host address (`0.0.0.0`).
    public var hostAddress: IPv4Address?
    /// The port on the host.
    public var hostPort: UInt16
    /// The sandbox's address on its bridge.
    public var containerAddress: IPv4Address
    /// The port inside the sandbox.
    public var containerPort: UInt16
    /// The bridge the sandbox is attached to (kept with the map element, so read-back gives it back).
    public var bridge: String
    /// The sandbox's IPv6 address on an `--ipv6` network: a mapping on every host address is then published on
    /// the host's IPv6 addresses too, DNATed to it.
    public var containerAddress6: IPv6Address? = nil

    /// Creates a mapping.
    public init(
        proto: `Protocol` = .tcp, hostAddress: IPv4Address? = nil, hostPort: UInt16,
        containerAddress: IPv4Address, containerPort: UInt16, bridge: String
    ) {
        self.proto = proto
        self.hostAddress = hostAddress
        self.hostPort = hostPort
        self.containerAddress = containerAddress
        self.containerPort = containerPort
        self.bridge = bridge
    }

    /// The key a mapping occupies on the host: two mappings with the same key conflict.
    public var hostKey: HostKey { HostKey(proto: proto, hostAddress: hostAddress, hostPort: hostPort) }

    /// `[hostAddress:]hostPort->containerAddress:containerPort/proto on bridge`, for messages.
    public var description: String {
        let host = hostAddress.map { "\($0):" } ?? ""
        return "\(host)\(hostPort)->\(containerAddress):\(containerPort)/\(proto.rawValue) on \(bridge)"
    }

    /// The host side of a mapping: protocol, address (nil for every address) and port.
    public struct HostKey: Sendable, Hashable, CustomStringConvertible {
        /// The transport protocol.
        public var proto: `Protocol`
        /// The host address, or nil for every host address.
        public var hostAddress: IPv4Address?
        /// The host port.
        public var hostPort: UInt16

        /// `ADDRESS:PORT/PROTO`, with `0.0.0.0` for every address.
        public var description: String { "\(hostAddress.map { "\($0)" } ?? "0.0.0.0"):\(hostPort)/\(proto.rawValue)" }
    }
}
