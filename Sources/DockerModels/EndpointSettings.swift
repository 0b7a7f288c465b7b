/// One network endpoint: `NetworkingConfig.EndpointsConfig.<net>` and `NetworkSettings.Networks.<net>`.
public struct EndpointSettings: Codable, Sendable, Equatable {
    /// A static address: `{"IPv4Address":"10.231.0.200"}`.
    public struct EndpointIPAMConfig: Codable, Sendable, Equatable {
        /// The requested IPv4 address.
        public var IPv4Address: String?
        /// The requested IPv6 address.
        public var IPv6Address: String?
        /// Creates an empty config.
        public init(IPv4Address: String? = nil) { self.IPv4Address = IPv4Address }
    }

    /// The requested static address (echoed in inspect).
    public var IPAMConfig: EndpointIPAMConfig?
    /// Network aliases.
    public var Aliases: [String]?
    /// Legacy links.
    public var Links: [String]?
    /// Network ID.
    public var NetworkID: String?
    /// Endpoint ID.
    public var EndpointID: String?
    /// Gateway address.
    public var Gateway: String?
    /// IPv4 address.
    public var IPAddress: String?
    /// IPv4 prefix length.
    public var IPPrefixLen: Int?
    /// IPv6 gateway.
    public var IPv6Gateway: String?
    /// Global IPv6 address.
    public var GlobalIPv6Address: String?
    /// Global IPv6 prefix length.
    public var GlobalIPv6PrefixLen: Int?
    /// MAC address.
    public var MacAddress: String?
    /// Driver options.
    public var DriverOpts: [String: String]?

    /// Creates empty endpoint settings.
    public init() {}
}
