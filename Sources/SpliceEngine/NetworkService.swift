import Dispatch
import Glibc
import NetlinkKit
import Synchronization
import SpliceNet
import SystemKit
import struct EngineErrors.EngineError

/// The engine's access to SpliceNet: sandboxes and the bridge driver, whose calls block (netlink, flock), run
/// one at a time on a private serial queue, never on the cooperative pool.
///
/// `@unchecked Sendable`: `driver` and `sandboxes` are only touched inside `queue`, which serialises them.
public final class NetworkService: @unchecked Sendable {
    private let queue = DispatchQueue(label: "splice.engine.network")
    /// The slow half of a background release: deleting an exited container's veths, whose `RTM_DELLINK` waits
    /// for RCU grace periods (about 20 ms) after the kernel has let go of its locks. Only `reaperHost` is
    /// touched there, so a start queued on `queue` meanwhile need not wait for it.
    private let reaper = DispatchQueue(label: "splice.engine.network.reaper")
    /// The reaper's netlink socket in the host namespace, opened on first use; only touched inside `reaper`.
    private var reaperHost: NetlinkSocket?
    private let hostNamespace: NetworkNamespace
    /// Containers whose background release has not finished: an attach for one of them waits for it (a restart
    /// policy, or a user's `start` right after the exit), so it never meets its old endpoint or pinned namespace.
    private let releasing = Mutex<Set<String>>([])
    let driver: BridgeDriver
    let sandboxes: SandboxFactory
    /// The default network's name.
    public let defaultNetwork: String
    /// The host address published ports bind to when `-p` names none (daemon `--ip`); nil for every address.
    public let defaultHostIP: IPAddress?
    /// The embedded DNS server of user-defined networks (127.0.0.11 in each container).
    public let resolver = EmbeddedResolver()
    /// The cluster's view of global (overlay) networks, set at daemon start with `--cluster-store`.
    let global = Mutex<(any GlobalNetworkDirectory)?>(nil)

    /// Opens the driver and sandbox factory on `stateDirectory`, acting in the caller's network namespace.
    public init(stateDirectory: String, defaultNetwork: String = BridgeNetworkOptions.defaultName,
                defaultHostIP: IPAddress? = nil) throws {
        driver = try BridgeDriver(stateDirectory: stateDirectory)
        sandboxes = try SandboxFactory(stateDirectory: stateDirectory, host: driver.hostNamespace)
        hostNamespace = driver.hostNamespace
        self.defaultNetwork = defaultNetwork
        self.defaultHostIP = defaultHostIP
    }

    func onQueue<T: Sendable>(_ body: @escaping @Sendable (BridgeDriver, SandboxFactory) throws -> T)
        async throws -> T
    {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body(self.driver, self.sandboxes) }) }
        }
    }

    /// Creates the default bridge network (`--bip`, bridge name, firewall) unless it exists already.
    public func ensureDefaultNetwork(bridge: String?, bridgeAddress: String, firewall: Bool) async throws {
        guard let address = IPNetwork(bridgeAddress) else {
            throw EngineError(.invalidArgument, "--bip \(bridgeAddress): not an address/prefix")
        }
        try await ensureDefaultNetwork(BridgeNetworkOptions(name: defaultNetwork, bridge: bridge,
                                                            bridgeAddress: address, firewall: firewall))
    }

    /// Creates the default bridge network with `desired` (the daemon's `-b`, `--bip`, `--fixed-cidr`, `--mtu`,
    /// `--icc`, `--ip-masq`, `--ip-forward`, `--iptables`). An existing default network with the same options is
    /// kept; one with other options is recreated when no container uses it, else this throws a conflict naming
    /// the changed options and the containers.
    public func ensureDefaultNetwork(_ desired: BridgeNetworkOptions) async throws {
        var desired = desired
        desired.name = defaultNetwork
        let wanted = desired
        try await onQueue { driver, _ in
            guard let existing = try driver.networks().first(where: { $0.options.name == wanted.name }) else {
                try driver.createNetwork(wanted)
                return
            }
            if existing.options == wanted { return }
            let changes = Self.differences(from: existing.options, to: wanted)
            let attached = try driver.store.endpoints().filter { $0.network == wanted.name }.map(\.sandbox)
            if !attached.isEmpty {
                throw EngineError(.conflict, "the default network \(wanted.name) exists with other options"
                    + " (\(changes.joined(separator: ", "))) and \(attached.count) container(s) use it"
                    + " (\(attached.map { String($0.prefix(12)) }.joined(separator: ", "))): stop and remove them,"
                    + " or start spliced with the options it was created with")
            }
            try driver.deleteNetwork(named: wanted.name)
            try driver.createNetwork(wanted)
        }
    }

    /// The options that differ, as `--mtu 1500 -> 1400`.
    static func differences(from old: BridgeNetworkOptions, to new: BridgeNetworkOptions) -> [String] {
        var changes: [String] = []
        func note<T: Equatable>(_ flag: String, _ before: T, _ after: T, _ text: (T) -> String) {
            if before != after { changes.append("\(flag) \(text(before)) -> \(text(after))") }
        }
        note("-b", old.bridge, new.bridge) { $0 }
        note("--bip", old.bridgeAddress, new.bridgeAddress) { $0?.description ?? "(none)" }
        note("--fixed-cidr", old.ipRange, new.ipRange) { $0?.description ?? "(none)" }
        note("--mtu", old.mtu, new.mtu) { "\($0)" }
        note("--icc", old.interContainer, new.interContainer) { "\($0)" }
        note("--ip-masq", old.ipMasquerade, new.ipMasquerade) { "\($0)" }
        note("--ip-forward", old.ipForward, new.ipForward) { "\($0)" }
        note("--iptables", old.firewall, new.firewall) { "\($0)" }
        note("--subnet", old.subnet, new.subnet) { $0?.description ?? "(none)" }
        note("--fixed-cidr-v6", old.ipv6?.subnet, new.ipv6?.subnet) { $0?.description ?? "(none)" }
        return changes
    }

    /// The pinned namespace path of sandbox `id`.
    public func namespacePath(of id: String) -> String { sandboxes.path(of: id) }

    /// Creates container `id`'s sandbox in `mode` and connects it in bridge mode (publishing `ports`); returns the
    /// namespace path to join (nil for the host's) and the endpoint. Rolls back on failure.
    public func attach(id: String, mode: SandboxMode, ports: [String], mac: String? = nil, address: String? = nil,
                       address6: String? = nil) async throws
        -> (namespacePath: String?, endpoint: ContainerEndpoint?)
    {
        if releasing.withLock({ $0.contains(id) }) { await drain() }
        let macAddress = try mac.map { text throws(EngineError) -> MACAddress in
            guard let address = MACAddress(text) else {
                throw EngineError(.invalidArgument, "invalid MAC address: \(text)")
            }
            return address
        }
        var requested = try address.map { text throws(EngineError) -> IPv4Address in
            guard let parsed = IPv4Address(text) else {
                throw EngineError(.invalidArgument, "invalid IPv4 address: \(text)")
            }
            return parsed
        }
        let requested6 = try Self.parseIPv6(address6)
        let specs = try ports.map { text throws(PortSpecError) -> PortSpec in
            var spec = try PortSpecParser.parse(text)
            if spec.hostIP == nil { spec.hostIP = defaultHostIP }
            return spec
        }
        var reserved: IPv4Address?
        if case .bridge(let network) = mode {
            reserved = try await reserveGlobalAddress(network: network, id: id, requested: requested)
            if let reserved { requested = reserved }
        }
        let wanted = requested
        let result: (namespacePath: String?, endpoint: ContainerEndpoint?)
        do {
            result = try await attachLocally(id: id, mode: mode, specs: specs, mac: macAddress, requested: wanted,
                                             requested6: requested6)
        } catch {
            if case .bridge(let network) = mode, let reserved {
                await globalDirectory?.withdrawEndpoint(network: network, container: id, address: reserved)
            }
            throw error
        }
        if case .bridge(let network) = mode, reserved != nil, let endpoint = result.endpoint,
           let address = IPv4Address(endpoint.ipAddress), let mac = MACAddress(endpoint.macAddress)
        {
            do {
                try await publishGlobal(network: network, address: address, mac: mac, id: id)
            } catch {
                await release(id: id, mode: mode)
                throw error
            }
        }
        return result
    }

    private func attachLocally(id: String, mode: SandboxMode, specs: [PortSpec], mac macAddress: MACAddress?,
                               requested: IPv4Address?, requested6: IPv6Address?) async throws
        -> (namespacePath: String?, endpoint: ContainerEndpoint?)
    {
        try await onQueue { driver, sandboxes in
            if case .bridge = mode, let stale = try? sandboxes.open(id: id, mode: mode) {
                try? sandboxes.remove(stale)
            }
            if mode == .none, let stale = try? sandboxes.open(id: id, mode: mode) { try? sandboxes.remove(stale) }
            let sandbox = try sandboxes.create(id: id, mode: mode)
            switch mode {
            case .host:
                return (nil, nil)
            case .container(let other):
                return (sandboxes.path(of: other), nil)
            case .none:
                return (sandboxes.path(of: id), nil)
            case .bridge(let network):
                do {
                    let info = try driver.store.network(named: network)
                    // A detached overlay network's ports are published on its `docker_gwbridge` endpoint.
                    let detached = info?.options.isDetached == true
                    let record = try driver.connect(sandbox, to: network, address: requested, mac: macAddress,
                                                    publish: detached ? [] : specs, address6: requested6)
                    var published = record.ports
                    if let info,
                       let exit = try Self.connectGatewayBridge(sandbox, after: info, publish: specs, driver)
                    {
                        published = exit.ports
                    }
                    let endpoint = ContainerEndpoint(
                        network: network, bridge: info?.options.bridge ?? network,
                        ipAddress: record.address.description, prefixLength: Int(info?.subnet.prefixLength ?? 16),
                        gateway: record.gateway?.description ?? "", macAddress: record.mac.description,
                        ports: published.map {
                            PublishedPort(hostIP: $0.hostIP?.description ?? "", hostPort: Int($0.hostPort),
                                          containerPort: Int($0.containerPort), proto: $0.proto.rawValue)
                        })
                    return (sandboxes.path(of: id), endpoint)
                } catch {
                    try? sandboxes.remove(sandbox)
                    throw error
                }
            }
        }
    }

    /// The gateway address of network `name`; nil when it does not exist.
    public func gateway(of name: String) async -> String? {
        let address = try? await onQueue { driver, _ in try driver.store.network(named: name)?.gateway.description }
        return address ?? nil
    }

    /// Disconnects container `id` from its network and removes its sandbox; "already gone" is success.
    public func release(id: String, mode: SandboxMode) async {
        resolver.forget(id: id)
        let global = await globalEndpoints(of: id)
        _ = try? await onQueue { driver, sandboxes in Self.release(id: id, mode: mode, driver, sandboxes) }
        await withdrawGlobal(global, id: id)
    }

    /// `release`, queued now and done in the background: for a container that has exited, so that its waiters
    /// (`run --rm`, `wait`) need not wait for the kernel's veth deletion (about 20 ms of RCU grace periods).
    /// The veths are deleted on the reaper queue, so a start queued meanwhile does not wait for that either; the
    /// rest of the release (ports, address, records, the sandbox) then runs on the network queue, so none sees
    /// the endpoint half gone and its address returns to IPAM only once its veth is deleted. Published ports are
    /// unpublished on the network queue first, so a next start of the same `-p` finds its host port free. An
    /// endpoint whose address a next start may ask for again (`keepsAddress`: a static address or MAC) is released
    /// wholly on the network queue, so that start finds the address free.
    public func releaseInBackground(id: String, mode: SandboxMode, keepsAddress: Bool = false) {
        resolver.forget(id: id)
        let directory = globalDirectory
        queue.async {
            // Endpoints on global networks are withdrawn from the cluster once they are gone here.
            let global = directory.map { directory in
                ((try? self.driver.store.endpoints()) ?? []).filter {
                    $0.sandbox == id && directory.isGlobal($0.network)
                }
            } ?? []
            let finish = { @Sendable in
                Self.release(id: id, mode: mode, self.driver, self.sandboxes)
                _ = self.releasing.withLock { $0.remove(id) }
                if !global.isEmpty { Task { await self.withdrawGlobal(global, id: id) } }
            }
            let endpoints = self.driver.store.endpointKeys().filter { $0.sandbox == id }.compactMap { key in
                try? self.driver.store.endpoint(sandbox: id, network: key.network)
            }
            let veths = endpoints.map(\.hostInterface).filter { !$0.isEmpty }
            if mode == .none {
                // No endpoint: only the pinned namespace, whose unmount is the reaper's too.
                let path = self.sandboxes.path(of: id)
                self.releasing.withLock { _ = $0.insert(id) }
                self.reaper.async {
                    try? NetworkNamespace.delete(pinnedAt: path)
                    _ = self.releasing.withLock { $0.remove(id) }
                }
                return
            }
            // Published ports are given up here, on the queue, so the next `-p` of the same host port finds it free;
            // the veths are deleted off the queue (each waits for an RCU barrier), and the rest follows on it.
            let unpublished = endpoints.allSatisfy { $0.ports.isEmpty }
                || (try? self.driver.unpublishPorts(sandbox: id)) != nil
            guard !veths.isEmpty, !keepsAddress, unpublished else {
                finish()
                return
            }
            self.releasing.withLock { _ = $0.insert(id) }
            self.reaper.async {
                self.deleteLinks(veths)
                self.queue.async(execute: finish)
            }
        }
    }

    /// Deletes host links by name on the reaper queue; "already gone" (an `rm` that released first) is fine.
    private func deleteLinks(_ names: [String]) {
        if reaperHost == nil { reaperHost = try? NetlinkSocket.open(in: hostNamespace) }
        for name in names { try? reaperHost?.deleteLink(named: name) }
    }

    /// Returns once every queued network call, `releaseInBackground` ones included (their reaper half and the
    /// network-queue half it queues), is done.
    public func drain() async {
        // The queue first (a release queued there hands its veths to the reaper), then the reaper and the
        // network-queue halves it queued.
        _ = try? await onQueue { _, _ in }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            reaper.async { self.queue.async { continuation.resume() } }
        }
    }

    private static func release(id: String, mode: SandboxMode, _ driver: BridgeDriver, _ sandboxes: SandboxFactory) {
        switch mode {
        case .host, .container: return
        case .none, .bridge:
            guard let sandbox = try? sandboxes.open(id: id, mode: mode) else { return }
            if case .bridge(let network) = mode { try? driver.disconnect(sandbox, from: network) }
            // Endpoints on further networks (`network connect`, several `--network`s) go with the sandbox.
            for key in driver.store.endpointKeys() where key.sandbox == id {
                try? driver.disconnect(sandbox, from: key.network)
            }
            try? sandboxes.remove(sandbox)
        }
    }
}
