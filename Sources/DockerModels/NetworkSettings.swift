/// `NetworkSettings` of container inspect (`inspect-container.txt`).
public struct NetworkSettings: Codable, Sendable, Equatable {
    /// Bridge name (empty).
    public var Bridge: String = ""
    /// Sandbox (namespace) ID.
    public var SandboxID: String = ""
    /// Hairpin mode.
    public var HairpinMode: Bool = false
    /// Published ports, `{"8080/tcp": [{"HostIp", "HostPort"}]}`; `null` entries for unpublished ports.
    public var Ports: [String: [HostConfig.PortBinding]?] = [:]
    /// Path of the namespace.
    public var SandboxKey: String = ""
    /// Endpoint ID on the default network.
    public var EndpointID: String = ""
    /// Gateway on the default network.
    public var Gateway: String = ""
    /// IPv4 address on the default network.
    public var IPAddress: String = ""
    /// Prefix length on the default network.
    public var IPPrefixLen: Int = 0
    /// IPv6 gateway.
    public var IPv6Gateway: String = ""
    /// Global IPv6 address.
    public var GlobalIPv6Address: String = ""
    /// Global IPv6 prefix length.
    public var GlobalIPv6PrefixLen: Int = 0
    /// MAC address on the default network.
    public var MacAddress: String = ""
    /// Endpoints by network name.
    public var Networks: [String: EndpointSettings] = [:]

    /// Creates empty network settings.
    public init() {}
}
