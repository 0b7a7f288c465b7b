import NetlinkKit

/// Why a `-p` specification is invalid or cannot be given host ports. Parse errors carry the whole input.
public enum PortSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text does not have the shape `[IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`; `reason` says what is off.
    case malformed(String, reason: String)
    /// A port or range field (`port`) is not a number or `START-END`.
    case invalidPort(String, port: String)
    /// A port (`port`) is 0 or above 65535.
    case portOutOfRange(String, port: String)
    /// A range (`range`) ends before it starts.
    case reversedRange(String, range: String)
    /// The host and container ranges differ in length while the container side is a range too.
    case mismatchedRanges(String, hostPorts: String, containerPorts: String)
    /// The host IP field (`ip`) is not an IPv4 or IPv6 address.
    case invalidHostIP(String, ip: String)
    /// The protocol suffix (`protocol`) is neither `tcp` nor `udp`.
    case unsupportedProtocol(String, protocol: String)
    /// An exposed port (`-P`) names host parts; it must be `PORT[/PROTOCOL]`.
    case notAContainerPort(String)
    /// The fixed host port is published already, by the mapping `existing`.
    case alreadyPublished(PortKey, existing: PortKey)
    /// The fixed host port is bound by another process on this host.
    case hostPortInUse(PortKey)
    /// Every port of `ports` is published or bound for `proto` on `hostIP` (nil: every interface).
    case noFreeHostPort(ports: ClosedRange<UInt16>, proto: PortProtocol, hostIP: IPAddress?)

    public var description: String {
        switch self {
        case .malformed(let input, let reason):
            return "invalid port specification \"\(input)\": \(reason)"
        case .invalidPort(let input, let port):
            return "invalid port specification \"\(input)\": \"\(port)\" is not a port number or range "
                + "(such as 80 or 8000-8100)"
        case .portOutOfRange(let input, let port):
            return "invalid port specification \"\(input)\": port \(port) is out of range (1-65535)"
        case .reversedRange(let input, let range):
            return "invalid port specification \"\(input)\": range \(range) ends before it starts"
        case .mismatchedRanges(let input, let hostPorts, let containerPorts):
            return "invalid port specification \"\(input)\": host ports \(hostPorts) and container ports "
                + "\(containerPorts) are ranges of different lengths"
        case .invalidHostIP(let input, let ip):
            return "invalid port specification \"\(input)\": \"\(ip)\" is not an IP address"
        case .unsupportedProtocol(let input, let proto):
            return "invalid port specification \"\(input)\": protocol \"\(proto)\" is not supported "
                + "(only tcp and udp are)"
        case .notAContainerPort(let input):
            return "invalid exposed port \"\(input)\": expected PORT[/PROTOCOL] such as 80/tcp"
        case .alreadyPublished(let key, let existing):
            if key == existing { return "host port \(key) is already published" }
            return "host port \(key) is already published (as \(existing))"
        case .hostPortInUse(let key):
            return "host port \(key) is already in use by another process on this host"
        case .noFreeHostPort(let ports, let proto, let hostIP):
            let on = hostIP.map { " on \($0)" } ?? ""
            return "no free host port in \(PortSpec.text(ports))/\(proto)\(on): all are published or in use"
        }
    }
}
