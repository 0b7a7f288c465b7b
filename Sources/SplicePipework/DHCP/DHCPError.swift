import NetlinkKit
import SystemKit

/// Why a DHCP exchange, a DHCP message or the DHCP client options failed.
public enum DHCPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No acceptable reply of type `awaiting` arrived on `interface` within `seconds`, after `sent` transmissions.
    case timeout(interface: String, namespace: String, awaiting: DHCPMessageType, seconds: Int, sent: Int)
    /// The server refused the request, with its option 56 text if it gave one.
    case nak(server: IPv4Address, message: String?)
    /// A socket operation failed (including entering the namespace).
    case system(SystemError)
    /// A message could not be decoded.
    case malformed(reason: String, offset: Int)
    /// The server acknowledged something Splice cannot use as a lease.
    case unusableLease(reason: String)
    /// An option in pipework's `dhcp:OPTS` that Splice's client does not know.
    case unknownOption(String)
    /// A known option in `dhcp:OPTS` with a missing or invalid value.
    case invalidOption(String, value: String?, reason: String)

    public var description: String {
        switch self {
        case .timeout(let interface, let namespace, let awaiting, let seconds, let sent):
            let request = awaiting == .offer ? DHCPMessageType.discover : .request
            return "no \(awaiting) on \(interface) in namespace \(namespace) after waiting \(seconds) s "
                + "(\(sent) \(request)\(sent == 1 ? "" : "s") sent)"
        case .nak(let server, let message):
            if let message { return "DHCP server \(server) refused the request (DHCPNAK): \(message)" }
            return "DHCP server \(server) refused the request (DHCPNAK)"
        case .system(let error):
            return "DHCP socket: \(error)"
        case .malformed(let reason, let offset):
            return "malformed DHCP message at byte \(offset): \(reason)"
        case .unusableLease(let reason):
            return "unusable DHCP lease: \(reason)"
        case .unknownOption(let option):
            return "unknown DHCP client option \"\(option)\" (supported: -x hostname:NAME, -t N, -T N, -f)"
        case .invalidOption(let option, let value, let reason):
            if let value { return "invalid DHCP client option \(option) \"\(value)\": \(reason)" }
            return "invalid DHCP client option \(option): \(reason)"
        }
    }
}
