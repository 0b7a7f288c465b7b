/// Everything Splice wants from the firewall: its bridge networks, its published ports and the host port range.
public struct FirewallModel: Sendable, Equatable {
    /// The bridge networks, in a stable order (rules are rendered in this order).
    public var networks: [NetworkRules]
    /// The published ports.
    public var portMappings: [PortMapping]
    /// The host ports Splice may publish on; when set, only destination ports in the range are looked up in the
    /// port maps and mappings outside it are refused. nil allows every port.
    public var portRange: ClosedRange<UInt16>?

    /// Creates a model.
    public init(
        networks: [NetworkRules] = [], portMappings: [PortMapping] = [], portRange: ClosedRange<UInt16>? = nil
    ) {
        self.networks = networks
        self.portMappings = portMappings
        self.portRange = portRange
    }

    /// A model with nothing in it: applying it removes Splice's tables.
    public static let empty = FirewallModel()

    /// Whether the model has no networks and no mappings.
    public var isEmpty: Bool { networks.isEmpty && portMappings.isEmpty }
}
