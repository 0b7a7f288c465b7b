import JSONKit
import SystemKit

extension FirewallState {
    /// Splice's own tables: `inet splice`, `ip splice-nat`, `bridge splice`.
    public static let spliceTables: [Table] = [
        Table(family: .inet, name: FirewallRenderer.filterTable),
        Table(family: .ip, name: FirewallRenderer.natTable),
        Table(family: .bridge, name: FirewallRenderer.bridgeTable),
    ]

    /// Decodes libnftables JSON output (`list tables`, `list chains`, `list table …`; one or more documents one after
    /// another, as one buffer with several commands prints them). Objects of other tables count only as possible
    /// `forwardDropChains`.
    public init(decodingJSON text: String, legacyTables: [String] = []) throws(FirewallError) {
        let documents: [JSONValue]
        do {
            documents = try JSONValue.decodeSequence(Array(text.utf8))
        } catch {
            throw FirewallError(
                kind: .malformedReadBack, operation: "read back",
                message: "libnftables JSON is malformed at byte \(error.offset): \(error.reason)")
        }
        var decoder = StateDecoder()
        for document in documents {
            guard let items = document["nftables"]?.arrayValue else {
                throw StateDecoder.malformed("a document has no \"nftables\" array")
            }
            for item in items { try decoder.add(item) }
        }
        self = decoder.state(legacyTables: legacyTables)
    }
}

/// Collects tables, chains, rules and sets from libnftables JSON objects.
private struct StateDecoder {
    private var tables: [FirewallState.Table] = []
    private var chains: [FirewallState.Chain] = []
    private var chainIndex: [String: Int] = [:]
    private var foreignDrops: [FirewallState.Chain] = []
    private var foreignSeen: Set<String> = []
    private var ruleCounts: [String: Int] = [:]
    private var sets: [FirewallState.NamedSet] = []
    private var setSeen: Set<String> = []
    private var mappings: [PortMapping] = []
    /// The inet table's IPv6 targets of published ports, by protocol and host port.
    private var targets6: [PortMapping.HostKey: (address: IPv6Address, port: UInt16, bridge: String)] = [:]
    private var ports: [String] = []

    static func malformed(_ reason: String) -> FirewallError {
        FirewallError(kind: .malformedReadBack, operation: "read back", message: "libnftables JSON: \(reason)")
    }

    mutating func add(_ item: JSONValue) throws(FirewallError) {
        if let table = item["table"] {
            let reference = try tableReference(table, nameKey: "name")
            if FirewallState.spliceTables.contains(reference), !tables.contains(reference) { tables.append(reference) }
        } else if let chain = item["chain"] {
            try addChain(chain)
        } else if let rule = item["rule"] {
            let reference = try tableReference(rule, nameKey: "table")
            guard FirewallState.spliceTables.contains(reference), let name = rule["chain"]?.stringValue else { return }
            ruleCounts[key(reference, name), default: 0] += 1
        } else if let set = item["map"] ?? item["set"] {
            try addSet(set)
        }
    }

    func state(legacyTables: [String]) -> FirewallState {
        let counted = chains.map { chain -> FirewallState.Chain in
            var chain = chain
            chain.ruleCount =
                ruleCounts[key(FirewallState.Table(family: chain.family, name: chain.table), chain.name)] ?? 0
            return chain
        }
        return FirewallState(
            tables: tables, chains: counted, sets: sets, portMappings: mappingsWithIPv6Targets(),
            isolatedPorts: ports,
            forwardDropChains: foreignDrops, legacyTables: legacyTables)
    }

    private func key(_ table: FirewallState.Table, _ name: String) -> String {
        "\(table.family.rawValue) \(table.name) \(name)"
    }

    private func tableReference(_ object: JSONValue, nameKey: String) throws(FirewallError) -> FirewallState.Table {
        guard let familyText = object["family"]?.stringValue, let name = object[nameKey]?.stringValue else {
            throw Self.malformed("an object has no family or \(nameKey)")
        }
        guard let family = FirewallState.Family(rawValue: familyText) else {
            throw Self.malformed("unknown family \"\(familyText)\"")
        }
        return FirewallState.Table(family: family, name: name)
    }

    private mutating func addChain(_ object: JSONValue) throws(FirewallError) {
        let table = try tableReference(object, nameKey: "table")
        guard let name = object["name"]?.stringValue else { throw Self.malformed("a chain has no name") }
        let chain = FirewallState.Chain(
            family: table.family, table: table.name, name: name, type: object["type"]?.stringValue,
            hook: object["hook"]?.stringValue, priority: object["prio"]?.integerValue,
            policy: object["policy"]?.stringValue)
        let chainKey = key(table, name)
        if FirewallState.spliceTables.contains(table) {
            if chainIndex[chainKey] == nil {
                chainIndex[chainKey] = chains.count
                chains.append(chain)
            }
        } else if chain.hook == "forward", chain.policy == "drop", foreignSeen.insert(chainKey).inserted {
            foreignDrops.append(chain)
        }
    }

    private mutating func addSet(_ object: JSONValue) throws(FirewallError) {
        let table = try tableReference(object, nameKey: "table")
        guard FirewallState.spliceTables.contains(table) else { return }
        guard let name = object["name"]?.stringValue else { throw Self.malformed("a set has no name") }
        guard setSeen.insert(key(table, name)).inserted else { return }
        let keyType = typeText(object["type"])
        let valueType = object["map"].map(typeText)
        let elements = object["elem"]?.arrayValue ?? []
        sets.append(
            FirewallState.NamedSet(
                family: table.family, table: table.name, name: name, keyType: keyType, valueType: valueType,
                elementCount: elements.count))
        if table.family == .ip, table.name == FirewallRenderer.natTable {
            for proto in FirewallRenderer.protocols {
                for specific in [true, false] where FirewallRenderer.mapName(proto, specificAddress: specific) == name {
                    for element in elements { mappings.append(try mapping(element, proto: proto, specific: specific)) }
                }
            }
        } else if table.family == .inet, table.name == FirewallRenderer.filterTable {
            for proto in FirewallRenderer.protocols where FirewallRenderer.ipv6MapName(proto) == name {
                for element in elements { try addTarget6(element, proto: proto) }
            }
        } else if table.family == .bridge, table.name == FirewallRenderer.bridgeTable,
            name == FirewallRenderer.isolatedPortsSet
        {
            for element in elements {
                guard let port = (element["elem"]?["val"] ?? element).stringValue else {
                    throw Self.malformed("an element of \(name) is not an interface name")
                }
                ports.append(port)
            }
        }
    }

    /// The IPv4 mappings with their IPv6 targets (`containerAddress6`) attached; an IPv6 target whose IPv4 element
    /// is gone comes back as a mapping to 0.0.0.0, so unpublishing it removes it.
    private func mappingsWithIPv6Targets() -> [PortMapping] {
        var result = mappings
        var attached = Set<PortMapping.HostKey>()
        for index in result.indices {
            let key = result[index].hostKey
            guard let target = targets6[key] else { continue }
            result[index].containerAddress6 = target.address
            attached.insert(key)
        }
        for (key, target) in targets6.sorted(by: { $0.key.hostPort < $1.key.hostPort }) where !attached.contains(key) {
            var orphan = PortMapping(
                proto: key.proto, hostAddress: nil, hostPort: key.hostPort, containerAddress: IPv4Address(0, 0, 0, 0),
                containerPort: target.port, bridge: target.bridge)
            orphan.containerAddress6 = target.address
            result.append(orphan)
        }
        return result
    }

    /// Decodes `[PORT, {"concat": [ADDR6, PORT]}]` of an IPv6 map, the key possibly wrapped with its bridge comment.
    private mutating func addTarget6(_ element: JSONValue, proto: PortMapping.`Protocol`) throws(FirewallError) {
        guard let pair = element.arrayValue, pair.count == 2 else {
            throw Self.malformed("a map element is not a pair")
        }
        var key = pair[0]
        var bridge = ""
        if let wrapped = key["elem"] {
            bridge = wrapped["comment"]?.stringValue ?? ""
            guard let value = wrapped["val"] else { throw Self.malformed("a map element has no value") }
            key = value
        }
        guard let target = pair[1]["concat"]?.arrayValue, target.count == 2 else {
            throw Self.malformed("a map value is not address . port")
        }
        guard let text = target[0].stringValue, let address = IPv6Address(text) else {
            throw Self.malformed("bad IPv6 address in \(FirewallRenderer.ipv6MapName(proto))")
        }
        let hostKey = PortMapping.HostKey(proto: proto, hostAddress: nil, hostPort: try port(key))
        targets6[hostKey] = (address, try port(target[1]), bridge)
    }

    private func typeText(_ value: JSONValue?) -> String {
        if let parts = value?.arrayValue { return parts.compactMap(\.stringValue).joined(separator: " . ") }
        return value?.stringValue ?? ""
    }

    /// Decodes `[KEY, VALUE]`, where KEY is `PORT`, `{"concat": [ADDR, PORT]}`, or either wrapped in
    /// `{"elem": {"val": …, "comment": BRIDGE}}`, and VALUE is `{"concat": [ADDR, PORT]}`.
    private func mapping(
        _ element: JSONValue, proto: PortMapping.`Protocol`, specific: Bool
    ) throws(FirewallError)
        -> PortMapping
    {
        guard let pair = element.arrayValue, pair.count == 2 else {
            throw Self.malformed("a map element is not a pair")
        }
        var key = pair[0]
        var bridge = ""
        if let wrapped = key["elem"] {
            bridge = wrapped["comment"]?.stringValue ?? ""
            guard let value = wrapped["val"] else { throw Self.malformed("a map element has no value") }
            key = value
        }
        var hostAddress: IPv4Address?
        let hostPort: UInt16
        if specific {
            guard let parts = key["concat"]?.arrayValue, parts.count == 2 else {
                throw Self.malformed("a key of \(proto.rawValue) ports is not address . port")
            }
            hostAddress = try address(parts[0])
            hostPort = try port(parts[1])
        } else {
            hostPort = try port(key)
        }
        guard let target = pair[1]["concat"]?.arrayValue, target.count == 2 else {
            throw Self.malformed("a map value is not address . port")
        }
        return PortMapping(
            proto: proto, hostAddress: hostAddress, hostPort: hostPort, containerAddress: try address(target[0]),
            containerPort: try port(target[1]), bridge: bridge)
    }

    private func address(_ value: JSONValue) throws(FirewallError) -> IPv4Address {
        guard let text = value.stringValue else { throw Self.malformed("an address is not a string") }
        guard let address = IPv4Address(text) else { throw Self.malformed("bad address \"\(text)\"") }
        return address
    }

    private func port(_ value: JSONValue) throws(FirewallError) -> UInt16 {
        if let number = value.integerValue, let port = UInt16(exactly: number) { return port }
        if let text = value.stringValue, let port = UInt16(text) { return port }
        throw Self.malformed("a port is not a number between 0 and 65535")
    }
}
