import Glibc
import Logging
import SpliceCluster
import SpliceEngine
import SpliceNet
import Synchronization
import SystemKit
import struct EngineErrors.EngineError

/// This host in the cluster: keeps its lease alive, watches the store from a revision (and reads it whole at
/// start and every `fullSyncInterval`), and makes each global network exist here as a bridge network with its
/// VXLAN tunnel, flood entries for the peers and static entries for remote endpoints. The kernel forwards on its
/// own, so traffic goes on while etcd or this daemon is down; when they return, the state converges.
final class ClusterAgent: GlobalNetworkDirectory {
    let store: ClusterStore
    let advertise: ClusterAdvertise
    let ttl: Int64
    let network: NetworkService
    let engine: ContainerEngine
    let logger: Logger
    /// How often the whole store is read again even when the watch saw nothing.
    let fullSyncInterval: Duration = .seconds(30)

    struct State {
        var lease: EtcdLease?
        var snapshot: ClusterSnapshot?
        /// Names of the global networks this host knows (from the store, or its own state before the store answers).
        var global: Set<String> = []
        var loop: Task<Void, Never>?
        var keepAlive: Task<Void, Never>?
        /// Peers whose lease lapsed, kept in the forwarding view for one lease TTL.
        var grace: PeerGrace
        /// What the last reconcile forwarded to: the snapshot's hosts and endpoints plus those in their grace.
        var view: PeerGrace.View?
        /// This host's subnet of each routed network, by network id.
        var hostSubnets: [String: IPNetwork] = [:]
        /// The other hosts' subnets of each routed network (network id, then host), kept while a host is in its
        /// grace (its record leaves the store with its lease).
        var peerSubnets: [String: [String: IPNetwork]] = [:]
        /// Per routed network name: the peers routed to nothing because their address is not on-link here.
        var unreachable: [String: [String]] = [:]
    }
    let state: Mutex<State>
    /// Serialises reconciles (the watch, the periodic sync and API calls all ask for one).
    private let reconciling = ReconcileGate()

    var hostName: String { store.hostName }

    init(store: ClusterStore, advertise: ClusterAdvertise, ttl: Int64, network: NetworkService,
         engine: ContainerEngine, logger: Logger)
    {
        self.store = store
        self.advertise = advertise
        self.ttl = ttl
        self.network = network
        self.engine = engine
        self.logger = logger
        state = Mutex(State(grace: PeerGrace(period: .seconds(ttl))))
    }

    /// Learns the global networks already made here, then starts the lease and watch loops.
    func start() async {
        let local: [NetworkRecord]
        do { local = try await network.networkRecords() } catch {
            logger.warning("local networks not read; the global networks made here before are not learnt",
                           metadata: ["error": "\(error)"])
            local = []
        }
        let known = local.filter { record in
            record.metadata.map { Self.isGlobalBridge(record.options.bridge, networkID: $0.id) } ?? false
        }.map(\.options.name)
        state.withLock { $0.global.formUnion(known) }
        let loop = Task { await self.run() }
        let keepAlive = Task { await self.keepLeaseAlive() }
        state.withLock {
            $0.loop = loop
            $0.keepAlive = keepAlive
        }
    }

    /// Stops the loops (the lease is left to expire, so a restart within the TTL is seamless).
    func stop() {
        state.withLock {
            $0.loop?.cancel()
            $0.keepAlive?.cancel()
        }
    }

    // MARK: lease

    /// The current lease, registering this host first when it has none.
    func currentLease() async throws -> EtcdLease {
        if let lease = state.withLock({ $0.lease }) { return lease }
        let host = ClusterHost(name: hostName, address: advertise.address, mtu: Int(advertise.mtu))
        let lease = try await store.register(host, ttl: ttl)
        state.withLock { $0.lease = lease }
        logger.info("joined the cluster store", metadata: ["store": "\(store.client.endpoints)",
                                                           "advertise": "\(advertise.address)",
                                                           "lease": "\(lease.id)"])
        return lease
    }

    /// Runs `body` under this host's lease. A lease etcd no longer has (it expired while the keep-alives could not
    /// reach etcd, and a request came before the next keep-alive noticed) is replaced: `body` runs again under a
    /// new one, and a reconcile moves this host's other endpoints to it.
    func underLease<T: Sendable>(_ body: (EtcdLease) async throws -> T) async throws -> T {
        let lease = try await currentLease()
        do {
            return try await body(lease)
        } catch let error as ClusterStoreError where error.isLeaseNotFound {
            state.withLock { if $0.lease?.id == lease.id { $0.lease = nil } }
            logger.warning("cluster lease expired; joining again")
            let fresh = try await currentLease()
            Task { await self.reconcileNow() }
            return try await body(fresh)
        }
    }

    private func keepLeaseAlive() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(max(1, Double(ttl) / 3)))
            guard let lease = state.withLock({ $0.lease }) else { continue }
            do {
                if try await store.client.keepAlive(lease) == 0 {
                    // Expired (etcd was away longer than the TTL): register again and republish. The other
                    // hosts' leases may have lapsed the same way, so their graces start again.
                    storeUnavailable()
                    state.withLock { $0.lease = nil }
                    logger.warning("cluster lease expired; joining again")
                    await reconcileNow()
                } else if state.withLock({ $0.grace.storeReached() }) {
                    // A departed peer's grace has ended and this host reaches the store: it is gone.
                    await reconcileNow()
                }
            } catch {
                storeUnavailable()
                logger.warning("cluster store keep-alive failed", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: watch and reconcile

    private func run() async {
        while !Task.isCancelled {
            do {
                _ = try await currentLease()
                let snapshot = try await store.snapshot()
                try await apply(snapshot)
                let deadline = ContinuousClock.now + fullSyncInterval
                let watch = store.client.watch(prefix: ClusterKeys.root, from: snapshot.revision + 1)
                // The watch is read apart from the reconciles: batches that arrive while one runs are folded into
                // the snapshot, and only the newest is reconciled next. Reconciling every batch in turn made a
                // burst of containers (twenty started on ten hosts at once) reach the kernel seconds late.
                let (latest, next) = AsyncStream.makeStream(of: ClusterSnapshot.self,
                                                            bufferingPolicy: .bufferingNewest(1))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        defer { next.finish() }
                        var current = snapshot
                        for try await batch in watch {
                            current.apply(batch)
                            next.yield(current)
                        }
                    }
                    group.addTask {
                        for await current in latest { try await self.apply(current) }
                    }
                    group.addTask { try? await Task.sleep(until: deadline) }
                    try await group.next()
                    group.cancelAll()
                }
            } catch {
                if Task.isCancelled { return }
                storeUnavailable()
                logger.warning("cluster store unavailable; forwarding continues with what the kernel has",
                               metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Reads the store whole and reconciles (after a network create, or a lease that expired).
    func reconcileNow() async {
        do {
            _ = try await currentLease()
            try await apply(try await store.snapshot())
        } catch {
            storeUnavailable()
            logger.warning("cluster reconcile failed", metadata: ["error": "\(error)"])
        }
    }

    /// Departed peers keep their grace while the store cannot be reached (a read fails, or this host's own
    /// keep-alive); the first keep-alive answered after a grace ends drops the peer.
    private func storeUnavailable() {
        state.withLock { $0.grace.storeUnavailable() }
    }

    /// Makes this host match `snapshot`: global networks here with their tunnels and entries, this host's
    /// endpoints published, networks removed from the store removed here when unused.
    private func apply(_ snapshot: ClusterSnapshot) async throws {
        await reconciling.run {
            await self.reconcile(snapshot)
        }
    }

    private func reconcile(_ snapshot: ClusterSnapshot) async {
        let view = state.withLock {
            $0.snapshot = snapshot
            $0.global.formUnion(snapshot.networks.map(\.name))
            let view = $0.grace.update(hosts: snapshot.hosts, endpoints: snapshot.endpoints, localHost: hostName)
            $0.view = view
            return view
        }
        let hosts = Dictionary(view.hosts.map { ($0.name, $0.address) }, uniquingKeysWith: { first, _ in first })
        let peers = Set(hosts.filter { $0.key != hostName }.values)
        await checkOverlayPeers(snapshot, hosts: hosts)
        for global in snapshot.networks {
            if global.driver == "routed" {
                await reconcileRouted(global, snapshot: snapshot, hosts: hosts)
                continue
            }
            let tunnel = tunnel(for: global)
            do {
                try await network.ensureOverlayNetwork(options(for: global), metadata: global.metadata, tunnel: tunnel)
                var remotes = Set<OverlayForwarding.RemoteEndpoint>()
                for endpoint in view.endpoints where endpoint.network == global.id && endpoint.host != hostName {
                    guard let vtep = hosts[endpoint.host] else { continue }
                    remotes.insert(.init(address: endpoint.address, mac: endpoint.mac, host: vtep))
                }
                let changed = try await network.reconcileOverlay(tunnel, to: OverlayForwarding(peers: peers,
                                                                                               remotes: remotes))
                if changed > 0 {
                    logger.debug("overlay entries updated", metadata: ["network": "\(global.name)",
                                                                       "changes": "\(changed)"])
                }
            } catch {
                logger.error("overlay network not set up here", metadata: ["network": "\(global.name)",
                                                                           "error": "\(error)"])
            }
        }
        await removeVanished(snapshot)
        await republishLocalEndpoints(snapshot)
        await engine.refreshResolver()
    }

    /// Removes the local side of global networks that left the store (when no container here uses them).
    private func removeVanished(_ snapshot: ClusterSnapshot) async {
        let ids = Set(snapshot.networks.map(\.id))
        let records: [NetworkRecord]
        do { records = try await network.networkRecords() } catch {
            logger.warning("local networks not read; vanished global networks stay until the next reconcile",
                           metadata: ["error": "\(error)"])
            return
        }
        for record in records {
            guard let metadata = record.metadata, !ids.contains(metadata.id) else { continue }
            if record.options.bridge == RoutedDriver.bridgeName(networkID: metadata.id) {
                await removeVanishedRouted(record, id: metadata.id)
                continue
            }
            guard record.options.bridge == OverlayTunnel.bridgeName(networkID: metadata.id) else { continue }
            do {
                let device = OverlayTunnel.deviceName(networkID: metadata.id)
                if try await network.removeOverlayNetwork(named: record.options.name, tunnelDevice: device) {
                    state.withLock { _ = $0.global.remove(record.options.name) }
                    logger.info("overlay network removed here", metadata: ["network": "\(record.options.name)"])
                }
            } catch {
                logger.error("overlay network not removed", metadata: ["network": "\(record.options.name)",
                                                                       "error": "\(error)"])
            }
        }
    }

    /// Publishes this host's endpoints that the store lacks or keeps under an older lease of this host (a
    /// restarted daemon, or a lease that expired), and withdraws those it no longer has.
    private func republishLocalEndpoints(_ snapshot: ClusterSnapshot) async {
        guard let lease = state.withLock({ $0.lease }) else { return }
        let byName = Dictionary(snapshot.networks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // Without this host's endpoints nothing is republished or withdrawn: an empty list would withdraw them all.
        let local: [EndpointRecord]
        do { local = try await network.endpointRecords().filter { byName[$0.network] != nil } } catch {
            logger.warning("local endpoints not read; not republished", metadata: ["error": "\(error)"])
            return
        }
        let published = snapshot.endpoints.filter { $0.host == hostName }
        for endpoint in local {
            guard let global = byName[endpoint.network],
                  snapshot.lease(ofEndpoint: endpoint.sandbox, network: global.id) != lease.id
            else { continue }
            do {
                let allocation = AddressAllocation(network: global.id, address: endpoint.address, host: hostName,
                                                   owner: endpoint.sandbox)
                if try await !store.reclaim(allocation, lease: lease.id) {
                    logger.error("address taken by another host while this one was away",
                                 metadata: ["container": "\(endpoint.sandbox)", "address": "\(endpoint.address)"])
                    continue
                }
                try await store.publish(await clusterEndpoint(global, container: endpoint.sandbox,
                                                              address: endpoint.address, mac: endpoint.mac),
                                        lease: lease.id)
            } catch {
                // A cancelled reconcile (a newer one took over) stops here; that one republishes.
                if Task.isCancelled || error is CancellationError { return }
                logger.warning("endpoint not republished", metadata: ["container": "\(endpoint.sandbox)",
                                                                      "error": "\(error)"])
            }
        }
        for endpoint in published where !local.contains(where: {
            $0.sandbox == endpoint.container && byName[$0.network]?.id == endpoint.network
        }) {
            try? await store.withdraw(endpoint: endpoint.id, of: endpoint.network)
            try? await store.allocator.release(endpoint.address, in: endpoint.network, owner: endpoint.container)
        }
    }

    // MARK: local sides

    func tunnel(for global: ClusterNetwork) -> OverlayTunnel {
        OverlayTunnel(networkID: global.id, bridge: OverlayTunnel.bridgeName(networkID: global.id), vni: global.vni,
                      local: advertise.address, underlay: nil, underlayMTU: advertise.mtu)
    }

    func options(for global: ClusterNetwork) -> BridgeNetworkOptions {
        BridgeNetworkOptions(name: global.name, bridge: OverlayTunnel.bridgeName(networkID: global.id),
                             bridgeAddress: IPNetwork(address: .v4(global.gateway),
                                                      prefixLength: Int(global.subnet.prefixLength)),
                             subnet: global.subnet, ipRange: global.ipRange,
                             mtu: advertise.mtu - OverlayTunnel.overhead, interContainer: true,
                             ipMasquerade: !global.metadata.internal)
    }

    // MARK: GlobalNetworkDirectory

    func isGlobal(_ name: String) -> Bool { state.withLock { $0.global.contains(name) } }

    /// The global network named `name`, from the last snapshot or a fresh read.
    func globalNetwork(named name: String) async throws -> ClusterNetwork {
        if let found = state.withLock({ $0.snapshot?.network(matching: name) }) { return found }
        let snapshot = try await store.snapshot()
        state.withLock { $0.snapshot = snapshot }
        guard let found = snapshot.network(matching: name) else {
            throw EngineError(.notFound, "network \(name) not found")
        }
        return found
    }

    func reserveAddress(network name: String, container: String, requested: IPv4Address?) async throws
        -> IPv4Address
    {
        var global = try await globalNetwork(named: name)
        if global.driver == "routed" {
            // Containers here get addresses of this host's part only.
            guard let part = state.withLock({ $0.hostSubnets[global.id] }), let gateway = part.ipv4First else {
                throw EngineError(.unavailable, "routed network \(name) has no subnet on this host yet")
            }
            if let requested, !part.contains(.v4(requested)) {
                throw EngineError(.invalidArgument, "Invalid address \(requested): this host's part of routed network"
                    + " \(name) is \(part)")
            }
            global.subnet = part
            global.ipRange = nil
            global.gateway = IPv4Address(value: gateway + 1)
        }
        do {
            let network = global
            return try await underLease { lease in
                try await store.allocator.allocate(in: network, host: hostName, owner: container, lease: lease.id,
                                                   requested: requested)
            }
        } catch let failure as ClusterAddressAllocator.Failure {
            switch failure {
            case .inUse(let address, let host, _):
                throw EngineError(.conflict, "Address already in use: \(address) on network \(name) (host \(host))",
                                  cause: failure)
            case .notAssignable(let address):
                throw EngineError(.invalidArgument, "Invalid address \(address): It does not belong to any of this"
                    + " network's subnets", cause: failure)
            case .exhausted:
                throw EngineError(.unavailable, "no available IPv4 addresses on this network's address pools: \(name)",
                                  cause: failure)
            }
        }
    }

    func publishEndpoint(network name: String, container: String, address: IPv4Address, mac: MACAddress)
        async throws
    {
        let global = try await globalNetwork(named: name)
        let endpoint = await clusterEndpoint(global, container: container, address: address, mac: mac)
        try await underLease { lease in try await store.publish(endpoint, lease: lease.id) }
    }

    func withdrawEndpoint(network name: String, container: String, address: IPv4Address?) async {
        guard let global = try? await globalNetwork(named: name) else { return }
        do {
            try await store.withdraw(endpoint: container, of: global.id)
            if let address { try await store.allocator.release(address, in: global.id, owner: container) }
        } catch {
            // The periodic reconcile withdraws it once the store answers again.
            logger.warning("endpoint not withdrawn from the cluster store", metadata: ["container": "\(container)",
                                                                                       "error": "\(error)"])
        }
    }

    func remoteMembers() async -> [EmbeddedResolver.Member] {
        let (snapshot, view) = state.withLock { ($0.snapshot, $0.view) }
        guard let snapshot else { return [] }
        let names = Dictionary(snapshot.networks.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return (view?.endpoints ?? snapshot.endpoints).compactMap { endpoint in
            guard endpoint.host != hostName, let network = names[endpoint.network] else { return nil }
            return EmbeddedResolver.Member(network: network, container: endpoint.container, names: endpoint.names,
                                           address: endpoint.address)
        }
    }

    /// The endpoint record of a local container: its name, short id and aliases on the network.
    private func clusterEndpoint(_ global: ClusterNetwork, container: String, address: IPv4Address,
                                 mac: MACAddress) async -> ClusterEndpoint
    {
        var names: [String] = []
        if let record = await engine.containers(all: true).first(where: { $0.id == container }) {
            names = [record.name, record.shortID]
        }
        let aliases = await engine.networkAttachments(of: container).first { $0.network == global.name }?.aliases
        return ClusterEndpoint(network: global.id, id: container, container: container, names: names + (aliases ?? []),
                               address: address, mac: mac, host: hostName)
    }
}
