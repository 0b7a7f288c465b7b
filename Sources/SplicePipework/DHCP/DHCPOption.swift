import NetlinkKit

/// One DHCP option (RFC 2132): a code and its raw data, in the order it appears on the wire.
public struct DHCPOption: Sendable, Equatable {
    /// The option code.
    public var code: Code
    /// The option's data, without the code and length octets.
    public var data: [UInt8]

    /// Creates an option from its code and data (at most 255 bytes; `DHCPMessage.encoded()` splits longer data).
    public init(_ code: Code, data: [UInt8]) {
        self.code = code
        self.data = data
    }

    /// A DHCP option code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Option 0, a single filler octet with no length.
        public static let pad = Code(rawValue: 0)
        /// Option 1, the subnet mask.
        public static let subnetMask = Code(rawValue: 1)
        /// Option 3, routers in order of preference.
        public static let router = Code(rawValue: 3)
        /// Option 6, DNS servers in order of preference.
        public static let domainNameServer = Code(rawValue: 6)
        /// Option 12, the client's host name.
        public static let hostName = Code(rawValue: 12)
        /// Option 15, the DNS domain name.
        public static let domainName = Code(rawValue: 15)
        /// Option 50, the address the client asks for.
        public static let requestedAddress = Code(rawValue: 50)
        /// Option 51, the lease time in seconds.
        public static let leaseTime = Code(rawValue: 51)
        /// Option 52, "sname and file carry options too"; Splice ignores those fields.
        public static let overload = Code(rawValue: 52)
        /// Option 53, the DHCP message type.
        public static let messageType = Code(rawValue: 53)
        /// Option 54, the server identifier.
        public static let serverIdentifier = Code(rawValue: 54)
        /// Option 55, the parameter request list.
        public static let parameterRequestList = Code(rawValue: 55)
        /// Option 56, a text message (the reason for a NAK).
        public static let message = Code(rawValue: 56)
        /// Option 61, the client identifier.
        public static let clientIdentifier = Code(rawValue: 61)
        /// Option 255, the end of the options.
        public static let end = Code(rawValue: 255)

        public var description: String { String(rawValue) }
    }

    /// Option 53.
    public static func messageType(_ type: DHCPMessageType) -> DHCPOption {
        DHCPOption(.messageType, data: [type.rawValue])
    }

    /// Option 50.
    public static func requestedAddress(_ address: IPv4Address) -> DHCPOption {
        DHCPOption(.requestedAddress, data: address.bytes)
    }

    /// Option 54.
    public static func serverIdentifier(_ address: IPv4Address) -> DHCPOption {
        DHCPOption(.serverIdentifier, data: address.bytes)
    }

    /// Option 51.
    public static func leaseTime(_ seconds: UInt32) -> DHCPOption {
        DHCPOption(.leaseTime, data: [UInt8(seconds >> 24), UInt8(seconds >> 16 & 0xff), UInt8(seconds >> 8 & 0xff),
                                      UInt8(seconds & 0xff)])
    }

    /// Option 1.
    public static func subnetMask(_ mask: IPv4Address) -> DHCPOption { DHCPOption(.subnetMask, data: mask.bytes) }

    /// Option 3.
    public static func routers(_ addresses: [IPv4Address]) -> DHCPOption {
        DHCPOption(.router, data: addresses.flatMap(\.bytes))
    }

    /// Option 6.
    public static func dnsServers(_ addresses: [IPv4Address]) -> DHCPOption {
        DHCPOption(.domainNameServer, data: addresses.flatMap(\.bytes))
    }

    /// Option 15.
    public static func domainName(_ name: String) -> DHCPOption { DHCPOption(.domainName, data: Array(name.utf8)) }

    /// Option 12.
    public static func hostName(_ name: String) -> DHCPOption { DHCPOption(.hostName, data: Array(name.utf8)) }

    /// Option 55.
    public static func parameterRequestList(_ codes: [Code]) -> DHCPOption {
        DHCPOption(.parameterRequestList, data: codes.map(\.rawValue))
    }

    /// Option 56.
    public static func message(_ text: String) -> DHCPOption { DHCPOption(.message, data: Array(text.utf8)) }

    /// Option 61 in the usual form: hardware type 1 (Ethernet) followed by the MAC address, as udhcpc sends it.
    public static func clientIdentifier(_ mac: MACAddress) -> DHCPOption {
        DHCPOption(.clientIdentifier, data: [DHCPMessage.ethernetHardwareType] + mac.bytes)
    }
}

/// The DHCP message types of option 53 (RFC 2132 section 9.6).
public enum DHCPMessageType: UInt8, Sendable, CustomStringConvertible {
    case discover = 1
    case offer = 2
    case request = 3
    case decline = 4
    case ack = 5
    case nak = 6
    case release = 7
    case inform = 8

    public var description: String {
        switch self {
        case .discover: "DHCPDISCOVER"
        case .offer: "DHCPOFFER"
        case .request: "DHCPREQUEST"
        case .decline: "DHCPDECLINE"
        case .ack: "DHCPACK"
        case .nak: "DHCPNAK"
        case .release: "DHCPRELEASE"
        case .inform: "DHCPINFORM"
        }
    }
}
