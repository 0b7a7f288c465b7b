import NetlinkKit

/// What a DHCP server assigned: the address to configure and the settings that came with it.
public struct DHCPLease: Sendable, Equatable {
    /// The assigned address with the prefix length from the subnet mask (option 1).
    public var address: IPNetwork
    /// The first router (option 3), if the server named one.
    public var router: IPv4Address?
    /// DNS servers in order of preference (option 6), for the guest's own resolv.conf.
    public var dnsServers: [IPv4Address]
    /// The DNS domain (option 15).
    public var domain: String?
    /// The lease time (option 51); `UInt32.max` means infinite.
    public var leaseSeconds: UInt32
    /// The server that granted the lease (option 54), where renewals and releases go.
    public var server: IPv4Address

    /// Creates a lease.
    public init(address: IPNetwork, router: IPv4Address? = nil, dnsServers: [IPv4Address] = [], domain: String? = nil,
                leaseSeconds: UInt32, server: IPv4Address)
    {
        self.address = address
        self.router = router
        self.dnsServers = dnsServers
        self.domain = domain
        self.leaseSeconds = leaseSeconds
        self.server = server
    }

    /// The lease udhcpc assumes when a DHCPACK has no lease time.
    static let defaultLeaseSeconds: UInt32 = 3600

    /// Builds a lease from a DHCPACK. Options the ACK leaves out are taken from `previous` (a renewal ACK may be
    /// terse); without a previous lease or subnet mask, the prefix is the address's class (RFC 2131 section 4.4.1
    /// leaves the default to the client).
    init(acknowledgement ack: DHCPMessage, server fallbackServer: IPv4Address, previous: DHCPLease? = nil)
        throws(DHCPError)
    {
        let assigned = ack.yourAddress
        guard assigned.value != 0, assigned.bytes[0] < 224 else {
            throw .unusableLease(reason: "DHCPACK assigns \(assigned)")
        }
        let prefixLength: Int
        if let mask = ack.subnetMask {
            guard let length = Self.prefixLength(ofMask: mask) else {
                throw .unusableLease(reason: "subnet mask \(mask) is not contiguous")
            }
            prefixLength = length
        } else if let previous {
            prefixLength = Int(previous.address.prefixLength)
        } else {
            prefixLength = assigned.bytes[0] < 128 ? 8 : assigned.bytes[0] < 192 ? 16 : 24
        }
        guard let network = IPNetwork(address: .v4(assigned), prefixLength: prefixLength) else {
            throw .unusableLease(reason: "prefix length \(prefixLength)")
        }
        address = network
        router = ack.routers.first ?? previous?.router
        dnsServers = ack.dnsServers.isEmpty ? previous?.dnsServers ?? [] : ack.dnsServers
        domain = ack.domainName ?? previous?.domain
        leaseSeconds = ack.leaseSeconds ?? previous?.leaseSeconds ?? Self.defaultLeaseSeconds
        server = ack.serverIdentifier ?? fallbackServer
    }

    /// The prefix length of a contiguous mask such as 255.255.255.0, or nil for a mask with holes.
    static func prefixLength(ofMask mask: IPv4Address) -> Int? {
        let value = mask.value
        let length = value.leadingZeroBitCount == 0 ? (~value).leadingZeroBitCount : 0
        let expected: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - UInt32(length))
        return value == expected ? length : nil
    }
}
