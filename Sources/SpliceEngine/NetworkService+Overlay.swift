import NetlinkKit
import SpliceNet
import SystemKit
import struct EngineErrors.EngineError

/// The local side of global (overlay) networks: a bridge network per global network with the cluster's subnet
/// and gateway, and its VXLAN tunnel, kept as the cluster store says; addresses come from the store.
extension NetworkService {
    /// Sets the cluster's directory (once, at daemon start; nil without `--cluster-store`).
    public func setGlobalDirectory(_ directory: (any GlobalNetworkDirectory)?) {
        global.withLock { $0 = directory }
    }

    /// The cluster's directory, if any.
    public var globalDirectory: (any GlobalNetworkDirectory)? { global.withLock { $0 } }

    /// Makes network `options`/`metadata` exist locally as the local side of a global network, with its tunnel.
    /// One whose subnet overlaps another local network or a route (another tenant's overlay with the same
    /// subnet) is made detached: its bridge holds no host address, so the host routes neither into the other.
    public func ensureOverlayNetwork(_ options: BridgeNetworkOptions, metadata: NetworkMetadata,
                                     tunnel: OverlayTunnel) async throws
    {
        try await onQueue { driver, _ in
            let existing = try driver.networks()
            if let local = existing.first(where: { $0.options.name == options.name }) {
                guard local.options.bridge == options.bridge else {
                    throw EngineError(.conflict, "a local network named \(options.name) exists")
                }
            } else {
                var options = options
                if let subnet = options.subnet {
                    let routes = try Self.hostRoutes(driver)
                    if existing.contains(where: { $0.subnet.overlaps(subnet) })
                        || routes.contains(where: { $0.overlaps(subnet) })
                    {
                        options.detached = true
                        options.ipMasquerade = false
                    }
                }
                do throws(NetworkError) {
                    _ = try driver.createNetwork(options, metadata: metadata)
                } catch {
                    throw EngineError(.internal, "overlay network \(options.name): \(error.message)", cause: error)
                }
            }
            try OverlayDriver(host: driver.host).ensureTunnel(tunnel)
        }
    }

    /// Brings a tunnel's FDB and neighbour entries to `forwarding`; returns how many changed.
    public func reconcileOverlay(_ tunnel: OverlayTunnel, to forwarding: OverlayForwarding) async throws -> Int {
        try await onQueue { driver, _ in try OverlayDriver(host: driver.host).reconcile(tunnel, to: forwarding) }
    }

    /// Whether this host's VXLAN packets from `local` can leave for `peer` (the kernel's route lookup for them).
    public func underlayReachability(of peer: IPv4Address, from local: IPv4Address) async throws
        -> UnderlayReachability
    {
        try await onQueue { driver, _ in
            try OverlayDriver(host: driver.host).underlayReachability(of: peer, from: local)
        }
    }

    /// Removes the local side of a global network (tunnel and bridge network) when no local endpoint uses it.
    /// Returns false (and removes nothing) while endpoints remain.
    @discardableResult
    public func removeOverlayNetwork(named name: String, tunnelDevice: String) async throws -> Bool {
        try await onQueue { driver, _ in
            if driver.store.endpointKeys().contains(where: { $0.network == name }) { return false }
            try OverlayDriver(host: driver.host).removeTunnel(device: tunnelDevice)
            if try driver.networks().contains(where: { $0.options.name == name }) {
                try driver.deleteNetwork(named: name)
            }
            return true
        }
    }

    /// The endpoints of container `id` on global networks.
    func globalEndpoints(of id: String) async -> [EndpointRecord] {
        guard let directory = globalDirectory else { return [] }
        let records = (try? await endpointRecords()) ?? []
        return records.filter { $0.sandbox == id && directory.isGlobal($0.network) }
    }

    /// Reserves the cluster-wide address of `network` for `id` when it is global; nil for local networks.
    func reserveGlobalAddress(network: String, id: String, requested: IPv4Address?) async throws -> IPv4Address? {
        guard let directory = globalDirectory, directory.isGlobal(network) else { return nil }
        do {
            return try await directory.reserveAddress(network: network, container: id, requested: requested)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.unavailable, "\(network): \(error)", cause: error)
        }
    }

    /// Publishes an endpoint just made on a global network; on failure it is undone by the caller.
    func publishGlobal(network: String, address: IPv4Address, mac: MACAddress, id: String) async throws {
        guard let directory = globalDirectory, directory.isGlobal(network) else { return }
        do {
            try await directory.publishEndpoint(network: network, container: id, address: address, mac: mac)
        } catch {
            throw EngineError(.unavailable, "\(network): \(error)", cause: error)
        }
    }

    /// Withdraws endpoints from the cluster (after they are gone locally).
    func withdrawGlobal(_ endpoints: [EndpointRecord], id: String) async {
        guard let directory = globalDirectory else { return }
        for endpoint in endpoints {
            await directory.withdrawEndpoint(network: endpoint.network, container: id, address: endpoint.address)
        }
    }
}

extension NetworkService {
    /// The host's IPv4 routes with a destination (default routes left out), for overlap checks.
    public func hostRoutes() async throws -> [IPNetwork] {
        try await onQueue { driver, _ in try Self.hostRoutes(driver) }
    }

    /// `hostRoutes()`, on the queue.
    static func hostRoutes(_ driver: BridgeDriver) throws -> [IPNetwork] {
        try driver.host.routes(family: .inet).compactMap(\.destination).filter { $0.prefixLength > 0 }
    }
}
