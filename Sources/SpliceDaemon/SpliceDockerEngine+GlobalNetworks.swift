import SpliceAPI
import SpliceCluster
import SpliceEngine
import SpliceNet
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

/// Global-scope networks (`docker network create -d overlay`): created once in the cluster store, set up on
/// every host by its cluster agent.
extension SpliceDockerEngine {
    /// The error of a global driver without `--cluster-store`.
    static let noClusterStore = noClusterStore(driver: "overlay")

    /// The error of global driver `driver` without `--cluster-store`.
    static func noClusterStore(driver: String) -> EngineError {
        EngineError(.invalidArgument, "\(driver) networks need a cluster store: start spliced with --cluster-store"
            + " etcd://HOST:2379 and --cluster-advertise IP|IFACE")
    }

    /// The global drivers: `overlay` (VXLAN) and `routed` (host-gw).
    static let globalDrivers: Set<String> = ["overlay", "routed"]

    /// Creates a global network in the store (unique by name across the cluster), then sets it up here. A subnet
    /// that overlaps a local network or a host route is refused before the store is touched; a failure to set it
    /// up here removes it from the store again.
    func createGlobalNetwork(_ request: NetworkCreateRequest, id: String) async throws -> NetworkCreateResponse {
        let driver = request.Driver ?? "overlay"
        guard let cluster else { throw Self.noClusterStore(driver: driver) }
        if ["bridge", "host", "none", "default"].contains(request.Name) {
            throw EngineError(.forbidden, "\(request.Name) is a pre-defined network and cannot be created")
        }
        var bridgeRequest = request
        bridgeRequest.Driver = "bridge"
        let created = JSONLogLine.now()
        let (options, metadata) = try NetworkCreatePlan.plan(bridgeRequest, id: id, created: created)
        if try await networkEntries().contains(where: { $0.name == request.Name }) {
            throw EngineError(.conflict, "network with name \(request.Name) already exists")
        }
        guard let service = engine.networkService else { throw EngineError(.unavailable, "no networking") }
        let localOverlays = try await service.networkRecords().filter { record in
            record.metadata.map { record.options.bridge == OverlayTunnel.bridgeName(networkID: $0.id) } ?? false
        }
        let taken = try await service.networkRecords().filter { record in !localOverlays.contains(record) }
            .map(\.subnet)
            + service.hostRoutes().filter { route in
                // An overlay network's own routes here (its subnet, the gateway's local and broadcast ones).
                !localOverlays.contains { $0.subnet.prefixLength <= route.prefixLength && $0.subnet.overlaps(route) }
            }
        let subnet: IPNetwork
        if let given = options.subnet {
            if taken.contains(where: { $0.overlaps(given) }) {
                throw EngineError(.forbidden, "Pool overlaps with other one on this address space")
            }
            subnet = given
        } else if driver == "routed" {
            subnet = try await defaultRoutedSubnet(taken: taken + localOverlays.map(\.subnet), cluster: cluster)
        } else {
            let globals = localOverlays.map(\.subnet)
            guard let free = (0...255).lazy.compactMap({ IPNetwork("10.0.\($0).0/24") }).first(where: { candidate in
                !(taken + globals).contains { $0.overlaps(candidate) }
            }) else {
                throw EngineError(.forbidden, "could not find an available, non-overlapping IPv4 address pool among"
                    + " the defaults to assign to the network")
            }
            subnet = free
        }
        let gateway: IPv4Address
        if let address = options.bridgeAddress?.ipv4Address {
            gateway = address
        } else if let first = subnet.ipv4First {
            gateway = IPv4Address(value: first + 1)
        } else {
            throw EngineError(.invalidArgument, "invalid subnet \(subnet)")
        }
        if driver == "routed" {
            try await checkRouted(options, subnet: subnet, metadata: metadata, cluster: cluster)
        }
        var globalMetadata = metadata
        globalMetadata.created = created
        let global: ClusterNetwork
        do {
            global = try await cluster.store.createNetwork(id: id, name: request.Name, driver: driver,
                                                           subnet: subnet, ipRange: options.ipRange,
                                                           gateway: gateway, metadata: globalMetadata)
        } catch let error as ClusterStoreError {
            if case .networkNameTaken = error { throw EngineError(.conflict, error.description, cause: error) }
            throw EngineError(.unavailable, error.description, cause: error)
        }
        await cluster.reconcileNow()
        let made = try await service.networkRecords().contains { $0.metadata?.id == id }
        if !made {
            try? await cluster.store.removeNetwork(global)
            throw EngineError(.internal, "\(driver) network \(request.Name) could not be set up on this host (see"
                + " the daemon's log); it was removed from the cluster store")
        }
        let unreachable = cluster.unreachablePeers(of: request.Name)
        let warning = unreachable.isEmpty ? ""
            : driver == "overlay" ? ClusterAgent.overlayUnreachableWarning(unreachable)
            : Self.unreachableWarning(unreachable)
        return NetworkCreateResponse(Id: id, Warning: warning)
    }

    /// What a routed network says about peers it cannot route to.
    static func unreachableWarning(_ peers: [String]) -> String {
        "routed network: no route to the containers of \(peers.joined(separator: ", ")): not on a directly connected"
            + " subnet of this host; routed networks need a shared L2 underlay (use overlay otherwise)"
    }

    /// Refuses what a routed network cannot be: a subnet too small for the per-host size, a gateway or range of
    /// its own (each host's part has its own gateway), a subnet overlapping another global network.
    private func checkRouted(_ options: BridgeNetworkOptions, subnet: IPNetwork, metadata: NetworkMetadata,
                             cluster: ClusterAgent) async throws
    {
        do {
            _ = try ClusterAgent.hostSubnetPicker(for: subnet, options: metadata.options)
        } catch {
            throw EngineError(.invalidArgument, error.description, cause: error)
        }
        if options.bridgeAddress != nil || options.ipRange != nil {
            throw EngineError(.invalidArgument, "routed networks take no --gateway or --ip-range: each host's"
                + " bridge holds the first address of its own subnet")
        }
        let globals: [ClusterNetwork]
        do {
            globals = try await cluster.store.snapshot().networks
        } catch {
            throw EngineError(.unavailable, error.description, cause: error)
        }
        if let other = globals.first(where: { $0.subnet.overlaps(subnet) }) {
            throw EngineError(.forbidden, "Pool overlaps with other one on this address space (global network"
                + " \(other.name), \(other.subnet))")
        }
    }

    /// The first free `10.N.0.0/16` (N from 220) for a routed network created without `--subnet`.
    private func defaultRoutedSubnet(taken: [IPNetwork], cluster: ClusterAgent) async throws -> IPNetwork {
        let globals = try await cluster.store.snapshot().networks.map(\.subnet)
        guard let free = (220...254).lazy.compactMap({ IPNetwork("10.\($0).0.0/16") }).first(where: { candidate in
            !(taken + globals).contains { $0.overlaps(candidate) }
        }) else {
            throw EngineError(.forbidden, "could not find an available, non-overlapping IPv4 address pool among"
                + " the defaults to assign to the network")
        }
        return free
    }

    /// Removes a global network from the store and from this host; refused while any host has a container on it.
    func removeGlobalNetwork(_ entry: NetworkEntry) async throws {
        guard let cluster else { throw Self.noClusterStore(driver: entry.driver) }
        guard let service = engine.networkService else { throw EngineError(.unavailable, "no networking") }
        if try await service.endpointRecords().contains(where: { $0.network == entry.name }) {
            throw EngineError(.forbidden, "error while removing network: network \(entry.name) id \(entry.id) has"
                + " active endpoints")
        }
        do {
            let global = try await cluster.globalNetwork(named: entry.name)
            try await cluster.store.removeNetwork(global)
        } catch let error as ClusterStoreError {
            if case .networkInUse = error { throw EngineError(.forbidden, error.description, cause: error) }
            throw EngineError(.unavailable, error.description, cause: error)
        }
        if entry.driver == "routed", let record = entry.record {
            try await service.removeRoutedNetwork(named: entry.name,
                                                  subnet: record.options.routedSubnet ?? record.subnet)
        } else {
            try await service.removeOverlayNetwork(named: entry.name,
                                                   tunnelDevice: OverlayTunnel.deviceName(networkID: entry.id))
        }
        await cluster.reconcileNow()
    }
}
