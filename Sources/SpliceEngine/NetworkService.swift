import Dispatch
import NetlinkKit
import SpliceNet
import SystemKit
import struct DockerModels.EngineError

/// The engine's access to SpliceNet: sandboxes and the bridge driver, whose calls block (netlink, flock), run
/// one at a time on a private serial queue, never on the cooperative pool.
///
/// `@unchecked Sendable`: `driver` and `sandboxes` are only touched inside `queue`, which serialises them.
public final class NetworkService: @unchecked Sendable {
    private let queue = DispatchQueue(label: "splice.engine.network")
    private let driver: BridgeDriver
    private let sandboxes: SandboxFactory
    /// The default network's name.
    public let defaultNetwork: String

    /// Opens the driver and sandbox factory on `stateDirectory`, acting in the caller's network namespace.
    public init(stateDirectory: String, defaultNetwork: String = BridgeNetworkOptions.defaultName) throws {
        driver = try BridgeDriver(stateDirectory: stateDirectory)
        sandboxes = try SandboxFactory(stateDirectory: stateDirectory, host: driver.hostNamespace)
        self.defaultNetwork = defaultNetwork
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable (BridgeDriver, SandboxFactory) throws -> T)
        async throws -> T
    {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body(self.driver, self.sandboxes) }) }
        }
    }

    /// Creates the default bridge network (`--bip`, bridge name, firewall) unless it exists already.
    public func ensureDefaultNetwork(bridge: String?, bridgeAddress: String, firewall: Bool) async throws {
        let name = defaultNetwork
        try await onQueue { driver, _ in
            if try driver.networks().contains(where: { $0.options.name == name }) { return }
            guard let address = IPNetwork(bridgeAddress) else {
                throw EngineError(.invalidArgument, "--bip \(bridgeAddress): not an address/prefix")
            }
            try driver.createNetwork(BridgeNetworkOptions(name: name, bridge: bridge, bridgeAddress: address,
                                                          firewall: firewall))
        }
    }

    /// The pinned namespace path of sandbox `id`.
    public func namespacePath(of id: String) -> String { sandboxes.path(of: id) }

    /// Creates container `id`'s sandbox in `mode` and connects it in bridge mode (publishing `ports`); returns the
    /// namespace path to join (nil for the host's) and the endpoint. Rolls back on failure.
    public func attach(id: String, mode: SandboxMode, ports: [String]) async throws
        -> (namespacePath: String?, endpoint: ContainerEndpoint?)
    {
        try await onQueue { driver, sandboxes in
            let specs = try ports.map { text throws(PortSpecError) in try PortSpecParser.parse(text) }
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
                    let record = try driver.connect(sandbox, to: network, publish: specs)
                    let info = try driver.store.network(named: network)
                    let endpoint = ContainerEndpoint(
                        network: network, bridge: info?.options.bridge ?? network,
                        ipAddress: record.address.description, prefixLength: Int(info?.subnet.prefixLength ?? 16),
                        gateway: record.gateway?.description ?? "", macAddress: record.mac.description,
                        ports: record.ports.map {
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

    /// Disconnects container `id` from its network and removes its sandbox; "already gone" is success.
    public func release(id: String, mode: SandboxMode) async {
        _ = try? await onQueue { driver, sandboxes in
            switch mode {
            case .host, .container: return
            case .none, .bridge:
                guard let sandbox = try? sandboxes.open(id: id, mode: mode) else { return }
                if case .bridge(let network) = mode { try? driver.disconnect(sandbox, from: network) }
                try? sandboxes.remove(sandbox)
            }
        }
    }
}
