import SpliceNet
import SystemKit

/// Splice's records in etcd: hosts under leases, global networks, endpoints and address allocations.
public final class ClusterStore: Sendable {
    /// The etcd client used for every operation.
    public let client: EtcdClient
    /// This host's name in the cluster.
    public let hostName: String
    /// The first VNI handed out (Docker's overlay driver starts at 4097 too).
    public static let firstVNI: UInt32 = 4097

    public init(client: EtcdClient, hostName: String) {
        self.client = client
        self.hostName = hostName
    }

    /// Grants a lease of `ttl` seconds and publishes `host` under it.
    public func register(_ host: ClusterHost, ttl: Int64) async throws -> EtcdLease {
        let lease = try await client.grantLease(ttl: ttl)
        try await client.put(ClusterKeys.host(host.name), value: try ClusterRecordCoding.encode(host), lease: lease.id)
        return lease
    }

    /// Everything under `/splice/v1/` at one revision.
    public func snapshot() async throws(ClusterStoreError) -> ClusterSnapshot {
        ClusterSnapshot(try await client.values(under: ClusterKeys.root))
    }

    /// Creates a global network, unique by name across the cluster, with the lowest free VNI; a name taken by
    /// another host (even at the same moment) is `.networkNameTaken`.
    public func createNetwork(id: String, name: String, driver: String, subnet: IPNetwork, ipRange: IPNetwork?,
                              gateway: IPv4Address, metadata: NetworkMetadata) async throws -> ClusterNetwork
    {
        var usedVNIs = Set(try await client.values(under: ClusterKeys.vnis).keyValues.compactMap {
            UInt32($0.key.dropFirst(ClusterKeys.vnis.count))
        })
        for _ in 0..<64 {
            var vni = Self.firstVNI
            while usedVNIs.contains(vni) { vni += 1 }
            let network = ClusterNetwork(id: id, name: name, driver: driver, subnet: subnet, ipRange: ipRange,
                                         gateway: gateway, vni: vni, metadata: metadata, createdBy: hostName)
            let nameKey = ClusterKeys.networkName(name)
            let vniKey = ClusterKeys.vni(vni)
            let transaction = EtcdTransaction(
                comparisons: [.createRevision(nameKey, equals: 0), .createRevision(vniKey, equals: 0)],
                success: [.put(nameKey, value: Array(id.utf8), lease: 0), .put(vniKey, value: Array(id.utf8), lease: 0),
                          .put(ClusterKeys.network(id), value: try ClusterRecordCoding.encode(network), lease: 0)],
                failure: [.get(nameKey), .get(vniKey)])
            let result = try await client.commit(transaction)
            if result.succeeded { return network }
            if let holder = result.keyValues.first(where: { $0.key == nameKey }) {
                throw ClusterStoreError.networkNameTaken(name, id: String(decoding: holder.value, as: UTF8.self))
            }
            usedVNIs.insert(vni)
        }
        throw ClusterStoreError.contended(key: ClusterKeys.vnis, attempts: 64)
    }

    /// Removes a global network and its allocations; refused while any host has an endpoint on it.
    public func removeNetwork(_ network: ClusterNetwork) async throws {
        let endpoints = try await client.values(under: ClusterKeys.endpoints(of: network.id)).keyValues
        if !endpoints.isEmpty {
            let hosts = Set(endpoints.compactMap {
                try? ClusterRecordCoding.decode(ClusterEndpoint.self, from: $0.value, key: $0.key).host
            })
            throw ClusterStoreError.networkInUse(network.name, hosts: hosts.sorted())
        }
        _ = try await client.commit(EtcdTransaction(comparisons: [], success: [
            .delete(ClusterKeys.network(network.id)), .delete(ClusterKeys.networkName(network.name)),
            .delete(ClusterKeys.vni(network.vni)),
        ]))
        try await client.delete(ClusterKeys.addresses(of: network.id), prefix: true)
        try await client.delete(ClusterKeys.hostSubnets(of: network.id), prefix: true)
    }

    /// Publishes an endpoint of this host, under `lease` (it vanishes with the host).
    public func publish(_ endpoint: ClusterEndpoint, lease: Int64) async throws {
        try await client.put(ClusterKeys.endpoint(endpoint.id, of: endpoint.network),
                             value: try ClusterRecordCoding.encode(endpoint), lease: lease)
    }

    /// Puts this host's allocation under `lease` again (after its old lease expired): created if absent, kept
    /// with the new lease if this owner holds it; returns false when another owner took the address meanwhile.
    public func reclaim(_ allocation: AddressAllocation, lease: Int64) async throws -> Bool {
        let key = ClusterKeys.address(allocation.address, of: allocation.network)
        let value = try ClusterRecordCoding.encode(allocation)
        if let current = try await client.value(at: key) {
            let holder = try ClusterRecordCoding.decode(AddressAllocation.self, from: current.value, key: key)
            guard holder.owner == allocation.owner else { return false }
            let result = try await client.commit(EtcdTransaction(
                comparisons: [.modRevision(key, equals: current.modRevision)],
                success: [.put(key, value: value, lease: lease)]))
            return result.succeeded
        }
        return try await client.commit(.create(key, value: value, lease: lease)).succeeded
    }

    /// Withdraws an endpoint.
    public func withdraw(endpoint id: String, of network: String) async throws(ClusterStoreError) {
        try await client.delete(ClusterKeys.endpoint(id, of: network))
    }

    /// The host subnet leaser of routed networks over this store.
    public var hostSubnets: HostSubnetLeaser { HostSubnetLeaser(store: client) }

    /// The address allocator over this store.
    public var allocator: ClusterAddressAllocator { ClusterAddressAllocator(store: client) }
}
