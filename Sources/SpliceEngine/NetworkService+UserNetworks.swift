import NetlinkKit
import SpliceNet
import SystemKit
import struct EngineErrors.EngineError

/// User-defined networks (`network create|rm|connect|disconnect`): each its own bridge from the bridge driver,
/// isolated from the others by its rules.
extension NetworkService {
    /// Every network the driver has (the default one included).
    public func networkRecords() async throws -> [NetworkRecord] {
        try await onQueue { driver, _ in try driver.networks() }
    }

    /// Every endpoint the driver has.
    public func endpointRecords() async throws -> [EndpointRecord] {
        try await onQueue { driver, _ in try driver.store.endpoints() }
    }

    /// Creates a user-defined network; a subnet that overlaps another network's or a host route is refused as
    /// dockerd refuses it (403 `Pool overlaps with other one on this address space`).
    public func createUserNetwork(_ options: BridgeNetworkOptions, metadata: NetworkMetadata) async throws
        -> NetworkRecord
    {
        try await onQueue { driver, _ in
            let existing = try driver.networks()
            if existing.contains(where: { $0.options.name == options.name }) {
                throw EngineError(.conflict, "network with name \(options.name) already exists")
            }
            if let subnet = options.subnet {
                let routes = try Self.hostRoutes(driver)
                if existing.contains(where: { $0.subnet.overlaps(subnet) }) || routes.contains(where: { $0.overlaps(subnet) }) {
                    throw EngineError(.forbidden, "Pool overlaps with other one on this address space")
                }
            }
            if existing.contains(where: { $0.options.bridge == options.bridge }) {
                throw EngineError(.forbidden, "bridge name \(options.bridge) is already in use by another network")
            }
            do throws(NetworkError) {
                return try driver.createNetwork(options, metadata: metadata)
            } catch {
                throw EngineError(error.code == .invalidArgument ? .invalidArgument : .internal, error.message,
                                  cause: error)
            }
        }
    }

    /// Deletes network `name` (a driver name); endpoints left make it 403 with dockerd's message.
    public func deleteUserNetwork(named name: String, id: String) async throws {
        try await onQueue { driver, _ in
            if driver.store.endpointKeys().contains(where: { $0.network == name }) {
                throw EngineError(.forbidden, "error while removing network: network \(name) id \(id) has active endpoints")
            }
            do throws(NetworkError) { try driver.deleteNetwork(named: name) } catch {
                throw EngineError(error.code == .notFound ? .notFound : .internal, error.message, cause: error)
            }
        }
    }

    /// Connects running container `id`'s sandbox to `network` as its next `ethN` (no default route: the first
    /// network keeps it).
    public func connectSandbox(id: String, network: String, address: String?, address6: String? = nil) async throws
        -> EndpointRecord
    {
        let requested6 = try Self.parseIPv6(address6)
        var requested = try address.map { text throws(EngineError) -> IPv4Address in
            guard let parsed = IPv4Address(text) else {
                throw EngineError(.invalidArgument, "invalid IPv4 address: \(text)")
            }
            return parsed
        }
        let reserved = try await reserveGlobalAddress(network: network, id: id, requested: requested)
        if let reserved { requested = reserved }
        let wanted = requested
        let record: EndpointRecord
        do {
            record = try await onQueue { driver, sandboxes in
                let sandbox = try sandboxes.open(id: id, mode: .bridge(network: network))
                let record = try driver.connect(sandbox, to: network, address: wanted, address6: requested6)
                if let info = try driver.store.network(named: network) {
                    _ = try Self.connectGatewayBridge(sandbox, after: info, publish: [], driver)
                }
                return record
            }
        } catch {
            if let reserved {
                await globalDirectory?.withdrawEndpoint(network: network, container: id, address: reserved)
            }
            throw error
        }
        if reserved != nil {
            do {
                try await publishGlobal(network: network, address: record.address, mac: record.mac, id: id)
            } catch {
                try? await disconnectSandbox(id: id, network: network)
                throw error
            }
        }
        return record
    }

    /// `--ip6` text as an address; nil for none.
    static func parseIPv6(_ text: String?) throws(EngineError) -> IPv6Address? {
        guard let text, !text.isEmpty else { return nil }
        guard let parsed = IPv6Address(text) else {
            throw EngineError(.invalidArgument, "invalid IPv6 address: \(text)")
        }
        return parsed
    }

    /// Disconnects running container `id` from `network`; its `ethN` disappears.
    public func disconnectSandbox(id: String, network: String) async throws {
        let global = await globalEndpoints(of: id).filter { $0.network == network }
        try await onQueue { driver, sandboxes in
            let sandbox = try sandboxes.open(id: id, mode: .bridge(network: network))
            try driver.disconnect(sandbox, from: network)
            try? Self.releaseGatewayBridge(sandbox, driver)
        }
        await withdrawGlobal(global, id: id)
    }
}
