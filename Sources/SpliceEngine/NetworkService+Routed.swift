import NetlinkKit
import SpliceNet
import SystemKit
import struct EngineErrors.EngineError

/// The local side of routed (host-gw) networks: a bridge network for this host's subnet of the network, and
/// routes to the other hosts' subnets through their underlay addresses, kept as the cluster store says.
extension NetworkService {
    /// Makes network `options`/`metadata` exist locally as this host's part of a routed network.
    public func ensureRoutedNetwork(_ options: BridgeNetworkOptions, metadata: NetworkMetadata) async throws {
        try await onQueue { driver, _ in
            if let local = try driver.networks().first(where: { $0.options.name == options.name }) {
                guard local.options.bridge == options.bridge else {
                    throw EngineError(.conflict, "a local network named \(options.name) exists")
                }
                guard local.options.subnet == options.subnet || local.subnet == options.subnet else {
                    throw EngineError(.conflict, "routed network \(options.name) holds \(local.subnet) here, not"
                        + " \(options.subnet?.description ?? "-")")
                }
                return
            }
            do throws(NetworkError) {
                _ = try driver.createNetwork(options, metadata: metadata)
            } catch {
                throw EngineError(.internal, "routed network \(options.name): \(error.message)", cause: error)
            }
        }
    }

    /// Brings Splice's routes inside `network` to `wanted` (destination to peer address); returns how many
    /// changed.
    public func reconcileRoutes(in network: IPNetwork, to wanted: [IPNetwork: IPv4Address]) async throws -> Int {
        try await onQueue { driver, _ in try RoutedDriver(host: driver.host).reconcile(network: network, to: wanted) }
    }

    /// Whether `address` is on a directly connected subnet of this host.
    public func isOnLink(_ address: IPv4Address) async throws -> Bool {
        try await onQueue { driver, _ in try RoutedDriver(host: driver.host).isOnLink(address) }
    }

    /// Removes the local side of a routed network (its routes and bridge network) when no local endpoint uses it.
    /// Returns false (and removes nothing) while endpoints remain.
    @discardableResult
    public func removeRoutedNetwork(named name: String, subnet: IPNetwork) async throws -> Bool {
        try await onQueue { driver, _ in
            if driver.store.endpointKeys().contains(where: { $0.network == name }) { return false }
            try RoutedDriver(host: driver.host).reconcile(network: subnet, to: [:])
            if try driver.networks().contains(where: { $0.options.name == name }) {
                try driver.deleteNetwork(named: name)
            }
            return true
        }
    }
}
