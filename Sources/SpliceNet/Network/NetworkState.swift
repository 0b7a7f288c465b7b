import NetlinkKit

/// A network as Splice recorded it when it was created.
public struct NetworkRecord: Sendable, Equatable, Codable {
    public var options: BridgeNetworkOptions
    /// The subnet in use (from `--bip`, `--subnet` or IPAM).
    public var subnet: IPNetwork
    /// The gateway: the bridge's address.
    public var gateway: IPv4Address
    /// Whether Splice made the bridge (and so removes it with the network).
    public var createdBridge: Bool
    /// A user-defined network's identity and request; nil for the default network.
    public var metadata: NetworkMetadata? = nil
}

/// One sandbox's attachment to one network.
public struct EndpointRecord: Sendable, Equatable, Codable {
    public var network: String
    public var sandbox: String
    /// The interface inside the sandbox (`eth0`, `eth1`, …).
    public var interface: String
    /// The host end of the veth pair (`vsp…`).
    public var hostInterface: String
    public var address: IPv4Address
    public var mac: MACAddress
    public var gateway: IPv4Address?
    /// Published ports, resolved to concrete host ports.
    public var ports: [ResolvedPort]
    /// The IPv6 address on an `--ipv6` network.
    public var address6: IPv6Address? = nil
}

/// Values stored in state files as their usual text (`172.18.0.0/16`, `172.18.0.2`, `02:42:ac:12:00:02`).
protocol CodableAsText: Codable, CustomStringConvertible {
    init?(_ text: String)
}

extension CodableAsText {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a valid \(Self.self): \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension IPNetwork: CodableAsText {}
extension IPv4Address: CodableAsText {}
extension IPv6Address: CodableAsText {}
extension MACAddress: CodableAsText {}
