/// A running container's address on a bridge network.
public struct ContainerEndpoint: Codable, Sendable, Equatable {
    /// The network's name (`splice0`).
    public var network: String
    /// The bridge device.
    public var bridge: String
    /// The container's IPv4 address.
    public var ipAddress: String
    /// The prefix length of the network.
    public var prefixLength: Int
    /// The gateway (the bridge's address).
    public var gateway: String
    /// The container interface's MAC address.
    public var macAddress: String
    /// Published ports as `hostIP:hostPort:containerPort/proto` (hostIP may be empty).
    public var ports: [PublishedPort]

    /// Creates an endpoint description.
    public init(network: String, bridge: String, ipAddress: String, prefixLength: Int, gateway: String,
                macAddress: String, ports: [PublishedPort] = []) {
        self.network = network
        self.bridge = bridge
        self.ipAddress = ipAddress
        self.prefixLength = prefixLength
        self.gateway = gateway
        self.macAddress = macAddress
        self.ports = ports
    }
}
