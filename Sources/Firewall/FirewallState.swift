/// What the kernel holds of Splice's firewall, decoded from libnftables' JSON read-back: Splice's tables, chains,
/// maps and sets with their elements, plus other tools' forward chains that would drop Splice's traffic.
public struct FirewallState: Sendable, Equatable {
    /// Splice's tables that exist.
    public var tables: [Table]
    /// The chains in Splice's tables, with their rule counts.
    public var chains: [Chain]
    /// The maps and sets in Splice's tables.
    public var sets: [NamedSet]
    /// The published ports, decoded from the four port maps (in map order).
    public var portMappings: [PortMapping]
    /// The ports in the layer-2 isolation set of `table bridge splice`.
    public var isolatedPorts: [String]
    /// Other tables' base chains on the forward hook whose policy is drop: they drop Splice's forwarded traffic
    /// whatever Splice's tables say (see the note at the top of FirewallRenderer.swift).
    public var forwardDropChains: [Chain]
    /// Legacy x_tables tables loaded in the namespace (`ip filter`, `ip nat`, …), whose rules libnftables cannot see.
    public var legacyTables: [String]

    /// Creates a state.
    public init(
        tables: [Table] = [], chains: [Chain] = [], sets: [NamedSet] = [], portMappings: [PortMapping] = [],
        isolatedPorts: [String] = [], forwardDropChains: [Chain] = [], legacyTables: [String] = []
    ) {
        self.tables = tables
        self.chains = chains
        self.sets = sets
        self.portMappings = portMappings
        self.isolatedPorts = isolatedPorts
        self.forwardDropChains = forwardDropChains
        self.legacyTables = legacyTables
    }

    /// Whether none of Splice's tables exist.
    public var isEmpty: Bool { tables.isEmpty }

    /// Whether Splice's table `name` of `family` exists.
    public func hasTable(_ family: Family, _ name: String) -> Bool {
        tables.contains(Table(family: family, name: name))
    }

    /// The chain `name` of Splice's table `table` in `family`, if it exists.
    public func chain(_ family: Family, _ table: String, _ name: String) -> Chain? {
        chains.first { $0.family == family && $0.table == table && $0.name == name }
    }

    /// The map or set `name` of Splice's table `table` in `family`, if it exists.
    public func set(_ family: Family, _ table: String, _ name: String) -> NamedSet? {
        sets.first { $0.family == family && $0.table == table && $0.name == name }
    }
}
