import NetlinkKit

/// One network's address pool: its subnet, the range addresses are handed out from, the gateway, and who holds
/// which address.
public struct IPAMPool: Codable, Sendable, Equatable {
    /// The network this pool belongs to, such as `splice0`.
    public let name: String
    /// The network's IPv4 subnet (`--subnet`), with no host bits set.
    public let subnet: IPNetwork
    /// The part of the subnet dynamic addresses come from (`--ip-range`); nil means the whole subnet.
    public let range: IPNetwork?
    /// The bridge's own address (`--gateway`).
    public let gateway: IPv4Address
    /// Allocated addresses: dotted-quad text to the owner given at allocation (a container or endpoint id).
    public internal(set) var allocations: [String: String]

    /// Creates a pool value; `IPAM.createPool` validates and persists pools, this initialiser does not.
    public init(
        name: String, subnet: IPNetwork, range: IPNetwork?, gateway: IPv4Address, allocations: [String: String] = [:]
    ) {
        self.name = name
        self.subnet = subnet
        self.range = range
        self.gateway = gateway
        self.allocations = allocations
    }

    /// The owner of `address`, or nil when it is free.
    public func owner(of address: IPv4Address) -> String? { allocations[address.description] }

    /// The range dynamic allocations come from: `range`, or the subnet when there is none.
    public var allocationRange: IPNetwork { range ?? subnet }

    private enum CodingKeys: String, CodingKey {
        case name, subnet, range, gateway, allocations
    }

    /// Decodes the state-file form, where networks and addresses are text such as `"172.18.0.0/16"`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        subnet = try Self.network(container.decode(String.self, forKey: .subnet), key: .subnet, in: container)
        range = try container.decodeIfPresent(String.self, forKey: .range).map {
            try Self.network($0, key: .range, in: container)
        }
        let gatewayText = try container.decode(String.self, forKey: .gateway)
        guard let gateway = IPv4Address(gatewayText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .gateway, in: container, debugDescription: "\"\(gatewayText)\" is not an IPv4 address")
        }
        self.gateway = gateway
        allocations = try container.decode([String: String].self, forKey: .allocations)
        for address in allocations.keys where IPv4Address(address) == nil {
            throw DecodingError.dataCorruptedError(
                forKey: .allocations, in: container, debugDescription: "\"\(address)\" is not an IPv4 address")
        }
    }

    /// Encodes networks and addresses as text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(subnet.description, forKey: .subnet)
        try container.encodeIfPresent(range?.description, forKey: .range)
        try container.encode(gateway.description, forKey: .gateway)
        try container.encode(allocations, forKey: .allocations)
    }

    /// Parses IPv4 network text from the state file.
    private static func network(_ text: String, key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>)
        throws -> IPNetwork
    {
        guard let network = IPNetwork(text), network.ipv4Address != nil else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "\"\(text)\" is not an IPv4 network")
        }
        return network
    }
}
