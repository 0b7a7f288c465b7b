import NetlinkKit
import SpliceAPI
import SpliceEngine
import SpliceNet
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

/// The networks API in Docker's shape over the bridge driver: the predefined `bridge` (the default network),
/// `host` and `none`, and user-defined bridge networks, each its own bridge.
extension SpliceDockerEngine: DockerNetworkEngine {
    /// One network as the API names it.
    struct NetworkEntry {
        /// Docker's name (`bridge` for the default network).
        var name: String
        /// 64 hex digits.
        var id: String
        /// nil for `host` and `none`.
        var record: NetworkRecord?
        /// Driver name: `bridge`, `host`, `null`.
        var driver: String
        /// Whether it is `bridge`, `host` or `none`.
        var predefined: Bool
    }

    private func service() throws(EngineError) -> NetworkService {
        guard let service = engine.networkService else {
            throw EngineError(.unavailable, "this engine runs without networking")
        }
        return service
    }

    /// Every network, predefined ones first.
    func networkEntries() async throws -> [NetworkEntry] {
        let service = try service()
        var entries: [NetworkEntry] = []
        for record in try await service.networkRecords() {
            if record.options.name == service.defaultNetwork {
                entries.append(NetworkEntry(name: "bridge", id: Self.stableID("bridge:" + record.options.name),
                                            record: record, driver: "bridge", predefined: true))
            } else if let metadata = record.metadata {
                let overlay = record.options.bridge == OverlayTunnel.bridgeName(networkID: metadata.id)
                let routed = record.options.bridge == RoutedDriver.bridgeName(networkID: metadata.id)
                entries.append(NetworkEntry(name: record.options.name, id: metadata.id, record: record,
                                            driver: overlay ? "overlay" : routed ? "routed"
                                                : metadata.driver ?? "bridge",
                                            predefined: false))
            }
        }
        entries.append(NetworkEntry(name: "host", id: Self.stableID("host"), record: nil, driver: "host",
                                    predefined: true))
        entries.append(NetworkEntry(name: "none", id: Self.stableID("none"), record: nil, driver: "null",
                                    predefined: true))
        return entries
    }

    /// dockerd's lookup: full id, then exact name, then an id prefix.
    func networkEntry(_ reference: String) async throws -> NetworkEntry {
        let entries = try await networkEntries()
        if let entry = entries.first(where: { $0.id == reference }) { return entry }
        if let entry = entries.first(where: { $0.name == reference }) { return entry }
        let byPrefix = entries.filter { !reference.isEmpty && $0.id.hasPrefix(reference) }
        if byPrefix.count == 1 { return byPrefix[0] }
        if byPrefix.count > 1 {
            throw EngineError(.invalidArgument, "network \(reference) is ambiguous (\(byPrefix.count) matches found based on ID prefix)")
        }
        throw EngineError(.notFound, "network \(reference) not found")
    }

    /// The driver name of a network the client named (`bridge`, `default`, a name or an id); the text itself when
    /// no network matches (the start then answers 404).
    func driverNetworkName(_ reference: String) async -> String {
        if reference == "default" || reference == "bridge" { return engine.networkService?.defaultNetwork ?? reference }
        guard let entry = try? await networkEntry(reference), let record = entry.record else { return reference }
        return record.options.name
    }

    /// A 64-hex id derived from `key` (predefined networks, endpoints): stable across restarts.
    static func stableID(_ key: String) -> String { NetworkIdentity.stableID(key) }

    /// A fresh 64-hex id.
    static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let text = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }

    /// The API object of `entry`; `containers` fills `Containers` (the single-network GET).
    func resource(_ entry: NetworkEntry, containers: Bool) async throws -> NetworkResource {
        var resource = NetworkResource()
        resource.Name = entry.name
        resource.Id = entry.id
        resource.Driver = entry.driver
        if Self.globalDrivers.contains(entry.driver) { resource.Scope = "global" }
        resource.Created = entry.record?.metadata?.created ?? "0001-01-01T00:00:00Z"
        guard let record = entry.record else {
            resource.IPAM = .init(Options: nil, Config: [])
            return resource
        }
        let metadata = record.metadata
        resource.IPAM = .init(Options: metadata == nil ? nil : (metadata?.ipamOptions ?? [:]),
                              Config: [.init(Subnet: record.subnet.description,
                                             IPRange: record.options.ipRange?.description,
                                             Gateway: record.gateway.description,
                                             AuxiliaryAddresses: metadata?.auxiliaryAddresses)])
        if let ipv6 = record.ipv6 {
            resource.EnableIPv6 = true
            resource.IPAM.Config.append(.init(Subnet: ipv6.subnet.description, Gateway: ipv6.gateway.description,
                                              AuxiliaryAddresses: ipv6.auxiliaryAddresses))
        }
        resource.Internal = metadata?.internal ?? false
        resource.Attachable = metadata?.attachable ?? false
        resource.Labels = metadata?.labels ?? [:]
        if let metadata {
            resource.Options = metadata.options
            if entry.driver == "routed" {
                // This host's part, and the peers it cannot route to (a routed network needs a shared L2 underlay).
                resource.Options["splice.routed.host_subnet"] = record.subnet.description
                let unreachable = cluster?.unreachablePeers(of: entry.name) ?? []
                if !unreachable.isEmpty {
                    resource.Options["splice.routed.unreachable_peers"] = Self.unreachableWarning(unreachable)
                }
            } else if entry.driver == "overlay", let unreachable = cluster?.unreachablePeers(of: entry.name),
                      !unreachable.isEmpty
            {
                // Peer hosts this host's VXLAN packets cannot reach (no route over the underlay).
                resource.Options["splice.overlay.unreachable_peers"] =
                    ClusterAgent.overlayUnreachableWarning(unreachable)
            }
        } else {
            resource.Options = [
                "com.docker.network.bridge.default_bridge": "true",
                "com.docker.network.bridge.enable_icc": String(record.options.interContainer),
                "com.docker.network.bridge.enable_ip_masquerade": String(record.options.ipMasquerade),
                "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
                "com.docker.network.bridge.name": record.options.bridge,
                "com.docker.network.driver.mtu": String(record.options.mtu),
            ]
        }
        if containers {
            let names = Dictionary(await engine.containers(all: true).map { ($0.id, $0.name) },
                                   uniquingKeysWith: { first, _ in first })
            for endpoint in try await service().endpointRecords() where endpoint.network == record.options.name {
                var member = NetworkResource.Endpoint(
                    Name: names[endpoint.sandbox] ?? endpoint.sandbox,
                    EndpointID: Self.stableID(endpoint.sandbox + "@" + endpoint.network),
                    MacAddress: endpoint.mac.description,
                    IPv4Address: "\(endpoint.address)/\(record.subnet.prefixLength)")
                if let address6 = endpoint.address6, let ipv6 = record.ipv6 {
                    member.IPv6Address = "\(address6)/\(ipv6.subnet.prefixLength)"
                }
                resource.Containers[endpoint.sandbox] = member
            }
        }
        return resource
    }

    public func networks(filters: [String: [String]]) async throws -> [NetworkResource] {
        try await mapped {
            let known: Set<String> = ["name", "id", "label", "driver", "type", "scope", "dangling"]
            if let bad = filters.keys.first(where: { !known.contains($0) }) {
                throw EngineError(.invalidArgument, "invalid filter '\(bad)'")
            }
            let endpoints = try await service().endpointRecords()
            var result: [NetworkResource] = []
            for entry in try await networkEntries() {
                let resource = try await resource(entry, containers: false)
                let used = entry.record.map { record in endpoints.contains { $0.network == record.options.name } }
                    ?? false
                if NetworkFilter.matches(resource, predefined: entry.predefined, inUse: used, filters: filters) {
                    result.append(resource)
                }
            }
            return result
        }
    }

    public func network(_ reference: String) async throws -> NetworkResource {
        try await mapped { try await resource(try await networkEntry(reference), containers: true) }
    }

    public func createNetwork(_ request: NetworkCreateRequest) async throws -> NetworkCreateResponse {
        try await mapped {
            let id = Self.randomID()
            if let driver = request.Driver, Self.globalDrivers.contains(driver) {
                return try await createGlobalNetwork(request, id: id)
            }
            let (options, metadata) = try NetworkCreatePlan.plan(request, id: id, created: JSONLogLine.now())
            if ["bridge", "host", "none", "default"].contains(request.Name) {
                throw EngineError(.forbidden, "\(request.Name) is a pre-defined network and cannot be created")
            }
            try await checkIPv6Overlap(metadata)
            if let macvlan = metadata.macvlan {
                _ = try await service().createMacvlanNetwork(options, macvlan: macvlan, metadata: metadata)
            } else {
                _ = try await service().createUserNetwork(options, metadata: metadata)
            }
            return NetworkCreateResponse(Id: id)
        }
    }

    public func removeNetwork(_ reference: String) async throws {
        try await mapped {
            let entry = try await networkEntry(reference)
            guard !entry.predefined, let record = entry.record else {
                throw EngineError(.forbidden, "\(entry.name) is a pre-defined network and cannot be removed")
            }
            if Self.globalDrivers.contains(entry.driver) { return try await removeGlobalNetwork(entry) }
            try await service().deleteUserNetwork(named: record.options.name, id: entry.id)
        }
    }

    public func connectNetwork(_ reference: String, _ request: NetworkConnectRequest) async throws {
        try await mapped {
            let entry = try await networkEntry(reference)
            guard let record = entry.record else {
                throw EngineError(.forbidden, "container cannot be disconnected from host network or connected to"
                    + " host network")
            }
            let address = request.EndpointConfig?.IPAMConfig?.IPv4Address.flatMap { $0.isEmpty ? nil : $0 }
            if let address {
                guard let parsed = IPv4Address(address) else {
                    throw EngineError(.invalidArgument, "invalid IPv4 address: \(address)")
                }
                guard record.subnet.contains(.v4(parsed)) else {
                    throw EngineError(.invalidArgument, "Invalid address \(address): It does not belong to any of"
                        + " this network's subnets")
                }
            }
            let address6 = request.EndpointConfig?.IPAMConfig?.IPv6Address.flatMap { $0.isEmpty ? nil : $0 }
            try await engine.connect(request.Container, to: record.options.name,
                                     aliases: request.EndpointConfig?.Aliases ?? [], ipv4Address: address,
                                     ipv6Address: address6)
        }
    }

    public func disconnectNetwork(_ reference: String, _ request: NetworkDisconnectRequest) async throws {
        try await mapped {
            let entry = try await networkEntry(reference)
            guard let record = entry.record else {
                throw EngineError(.forbidden, "container cannot be disconnected from host network or connected to"
                    + " host network")
            }
            try await engine.disconnect(request.Container, from: record.options.name)
        }
    }

    public func pruneNetworks(filters: [String: [String]]) async throws -> NetworkPruneResponse {
        try await mapped {
            let endpoints = try await service().endpointRecords()
            var deleted: [String] = []
            for entry in try await networkEntries() where !entry.predefined {
                guard let record = entry.record, !endpoints.contains(where: { $0.network == record.options.name })
                else { continue }
                let resource = try await resource(entry, containers: false)
                let labelFilters = filters.filter { $0.key == "label" || $0.key == "label!" }
                guard NetworkFilter.matches(resource, predefined: false, inUse: false, filters: labelFilters) else {
                    continue
                }
                if Self.globalDrivers.contains(entry.driver) {
                    try await removeGlobalNetwork(entry)
                } else {
                    try await service().deleteUserNetwork(named: record.options.name, id: entry.id)
                }
                deleted.append(entry.name)
            }
            return NetworkPruneResponse(NetworksDeleted: deleted.isEmpty ? nil : deleted)
        }
    }
}
