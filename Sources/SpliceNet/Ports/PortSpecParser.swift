import NetlinkKit

/// Parses Docker's `-p`/`--publish` text and `-P`'s exposed-port list into `PortSpec` values.
///
/// Accepted forms (each with an optional `/tcp` or `/udp` suffix, tcp by default):
/// `CONTAINER`, `HOST:CONTAINER`, `IP:HOST:CONTAINER`, `IP::CONTAINER` (dynamic host port on IP), where each port
/// may be a range `START-END`, and an IPv6 `IP` is written in brackets: `[::1]:8080:80`.
public enum PortSpecParser {
    /// Parses one `-p` value.
    public static func parse(_ text: String) throws(PortSpecError) -> PortSpec {
        guard !text.isEmpty else { throw .malformed(text, reason: "it is empty") }
        var body = Substring(text)
        var proto = PortProtocol.tcp
        if let slash = body.firstIndex(of: "/") {
            let name = body[body.index(after: slash)...]
            guard !name.isEmpty else { throw .malformed(text, reason: "empty protocol after \"/\"") }
            guard let known = PortProtocol(rawValue: name.lowercased()) else {
                throw .unsupportedProtocol(text, protocol: String(name))
            }
            proto = known
            body = body[..<slash]
        }
        let (ipText, hostText, containerText) = try fields(of: body, input: text)

        guard !containerText.isEmpty else { throw .malformed(text, reason: "empty container port") }
        let containerPorts = try ports(containerText, input: text)

        var hostIP: IPAddress?
        if let ipText {
            guard !ipText.isEmpty else {
                throw .malformed(text, reason: "empty host IP (leave out \"IP:\" to publish on every interface)")
            }
            guard let address = IPAddress(String(ipText)) else { throw .invalidHostIP(text, ip: String(ipText)) }
            hostIP = address
        }

        var hostPorts: ClosedRange<UInt16>?
        if let hostText {
            if hostText.isEmpty {
                guard ipText != nil else {
                    throw .malformed(
                        text, reason: "empty host port (write just \(containerText) for a dynamic host port)")
                }
            } else {
                let parsed = try ports(hostText, input: text)
                if parsed.count != containerPorts.count && containerPorts.count != 1 {
                    throw .mismatchedRanges(
                        text, hostPorts: String(hostText), containerPorts: String(containerText))
                }
                hostPorts = parsed
            }
        }
        return PortSpec(hostIP: hostIP, hostPorts: hostPorts, containerPorts: containerPorts, proto: proto)
    }

    /// Turns an image's exposed ports (`["80/tcp", "53/udp"]`, as `-P` publishes them) into dynamic specs,
    /// dropping duplicates and keeping the order.
    public static func exposed(_ ports: [String]) throws(PortSpecError) -> [PortSpec] {
        var specs: [PortSpec] = []
        for text in ports {
            guard !text.contains(":") else { throw .notAContainerPort(text) }
            let spec = try parse(text)
            if !specs.contains(spec) { specs.append(spec) }
        }
        return specs
    }

    // MARK: - Fields

    /// Splits `[IP:][HOST:]CONTAINER` (IPv6 IP in brackets) into its fields; a nil field was not written.
    private static func fields(of body: Substring, input: String) throws(PortSpecError)
        -> (ip: Substring?, host: Substring?, container: Substring)
    {
        if body.hasPrefix("[") {
            guard let close = body.firstIndex(of: "]") else {
                throw .malformed(input, reason: "\"[\" without a closing \"]\" around the host IP")
            }
            let ip = body[body.index(after: body.startIndex)..<close]
            let rest = body[body.index(after: close)...]
            guard rest.hasPrefix(":") else {
                throw .malformed(input, reason: "expected \":HOST_PORT:CONTAINER_PORT\" after the bracketed host IP")
            }
            let parts = rest.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
            switch parts.count {
            case 2: return (ip, parts[0], parts[1])
            case 1:
                throw .malformed(
                    input, reason: "a host IP needs a host port field (write [\(ip)]::\(parts[0]) for a dynamic one)")
            default: throw .malformed(input, reason: "too many colons")
            }
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (nil, nil, parts[0])
        case 2: return (nil, parts[0], parts[1])
        case 3: return (parts[0], parts[1], parts[2])
        default:
            throw .malformed(
                input, reason: "too many colons (write an IPv6 host IP in brackets, as [::1]:8080:80)")
        }
    }

    /// `80` or `8000-8100`.
    private static func ports(_ text: Substring, input: String) throws(PortSpecError) -> ClosedRange<UInt16> {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        switch bounds.count {
        case 1:
            let port = try self.port(bounds[0], field: text, input: input)
            return port...port
        case 2:
            let start = try port(bounds[0], field: text, input: input)
            let end = try port(bounds[1], field: text, input: input)
            guard start <= end else { throw .reversedRange(input, range: String(text)) }
            return start...end
        default:
            throw .invalidPort(input, port: String(text))
        }
    }

    /// One decimal port number, 1 through 65535.
    private static func port(_ digits: Substring, field: Substring, input: String) throws(PortSpecError) -> UInt16 {
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalidPort(input, port: String(field))
        }
        guard let value = Int(digits), value >= 1, value <= Int(UInt16.max) else {
            throw .portOutOfRange(input, port: String(digits))
        }
        return UInt16(value)
    }
}
