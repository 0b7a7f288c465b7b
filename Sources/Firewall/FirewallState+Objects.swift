extension FirewallState {
    /// An nftables address family.
    public enum Family: String, Sendable, Hashable, CaseIterable {
        /// IPv4.
        case ip
        /// IPv6.
        case ip6
        /// IPv4 and IPv6.
        case inet
        /// Bridged frames.
        case bridge
        /// ARP.
        case arp
        /// Per-device ingress and egress.
        case netdev
    }

    /// A table: its family and name.
    public struct Table: Sendable, Hashable, CustomStringConvertible {
        /// The family.
        public var family: Family
        /// The table name.
        public var name: String

        /// Creates a table reference.
        public init(family: Family, name: String) {
            self.family = family
            self.name = name
        }

        /// `table FAMILY NAME`, as nft prints it.
        public var description: String { "table \(family.rawValue) \(name)" }
    }

    /// A chain: where it is, its hook and policy when it is a base chain, and how many rules it holds.
    public struct Chain: Sendable, Hashable, CustomStringConvertible {
        /// The family of its table.
        public var family: Family
        /// Its table's name.
        public var table: String
        /// The chain name.
        public var name: String
        /// The chain type of a base chain (`filter`, `nat`, `route`), nil for a regular chain.
        public var type: String?
        /// The hook of a base chain (`prerouting`, `forward`, …), nil for a regular chain.
        public var hook: String?
        /// The numeric priority of a base chain.
        public var priority: Int?
        /// The policy of a base chain (`accept` or `drop`).
        public var policy: String?
        /// The number of rules in the chain (0 when only the chain list was read).
        public var ruleCount: Int

        /// Creates a chain description.
        public init(
            family: Family, table: String, name: String, type: String? = nil, hook: String? = nil,
            priority: Int? = nil, policy: String? = nil, ruleCount: Int = 0
        ) {
            self.family = family
            self.table = table
            self.name = name
            self.type = type
            self.hook = hook
            self.priority = priority
            self.policy = policy
            self.ruleCount = ruleCount
        }

        /// `chain FAMILY TABLE NAME`, with type, hook, priority and policy for a base chain.
        public var description: String {
            var text = "chain \(family.rawValue) \(table) \(name)"
            if let type, let hook {
                text += " (\(type) hook \(hook) priority \(priority ?? 0); policy \(policy ?? "accept"))"
            }
            return text
        }
    }

    /// A named map or set: where it is, its key (and value) type and how many elements it holds.
    public struct NamedSet: Sendable, Hashable, CustomStringConvertible {
        /// The family of its table.
        public var family: Family
        /// Its table's name.
        public var table: String
        /// The map or set name.
        public var name: String
        /// The key type, such as `ipv4_addr . inet_service`.
        public var keyType: String
        /// The value type of a map, such as `ipv4_addr . inet_service`; nil for a set.
        public var valueType: String?
        /// The number of elements.
        public var elementCount: Int

        /// Creates a map or set description.
        public init(
            family: Family, table: String, name: String, keyType: String, valueType: String? = nil,
            elementCount: Int = 0
        ) {
            self.family = family
            self.table = table
            self.name = name
            self.keyType = keyType
            self.valueType = valueType
            self.elementCount = elementCount
        }

        /// Whether this is a map (it has a value type).
        public var isMap: Bool { valueType != nil }

        /// `map|set FAMILY TABLE NAME { TYPES } [COUNT]`.
        public var description: String {
            let types = keyType + (valueType.map { " : \($0)" } ?? "")
            return "\(isMap ? "map" : "set") \(family.rawValue) \(table) \(name) { \(types) } [\(elementCount)]"
        }
    }
}
