import SpliceNet
import SystemKit

/// Allocates addresses of global networks with compare-and-swap transactions: an address is taken by creating its
/// key only if it does not exist (create revision 0). A host that loses the race to another learns the winner
/// from the failed transaction and tries the next free address, so two hosts never hand out one address.
public struct ClusterAddressAllocator: Sendable {
    /// Why an allocation failed, beyond the store's own errors.
    public enum Failure: Error, Sendable, Equatable {
        /// The requested address is held by someone else (`owner` on `host`).
        case inUse(IPv4Address, host: String, owner: String)
        /// The requested address is outside the subnet, or its network, broadcast or gateway address.
        case notAssignable(IPv4Address)
        /// No free address is left in the range.
        case exhausted(network: String)
    }

    let store: any ClusterKeyValueStore
    /// How many lost races in a row are tolerated before giving up with `.contended`.
    public var maximumAttempts = 64

    public init(store: any ClusterKeyValueStore) { self.store = store }

    /// Allocates `requested`, or the lowest free address, to `owner` on `host`, attached to `lease` (0: none).
    public func allocate(in network: ClusterNetwork, host: String, owner: String, lease: Int64,
                         requested: IPv4Address? = nil) async throws -> IPv4Address
    {
        let picker = AddressPicker(network: network)
        if let requested {
            guard picker.isAssignable(requested) else { throw Failure.notAssignable(requested) }
            let record = AddressAllocation(network: network.id, address: requested, host: host, owner: owner)
            let key = ClusterKeys.address(requested, of: network.id)
            let result = try await store.commit(.create(key, value: try ClusterRecordCoding.encode(record),
                                                        lease: lease))
            if result.succeeded { return requested }
            let holder = try result.keyValues.first.map {
                try ClusterRecordCoding.decode(AddressAllocation.self, from: $0.value, key: key)
            }
            throw Failure.inUse(requested, host: holder?.host ?? "", owner: holder?.owner ?? "")
        }
        var taken = try await allocated(in: network.id)
        for _ in 0..<maximumAttempts {
            guard let candidate = picker.lowestFree(excluding: taken) else {
                throw Failure.exhausted(network: network.name)
            }
            let record = AddressAllocation(network: network.id, address: candidate, host: host, owner: owner)
            let key = ClusterKeys.address(candidate, of: network.id)
            let result = try await store.commit(.create(key, value: try ClusterRecordCoding.encode(record),
                                                        lease: lease))
            if result.succeeded { return candidate }
            taken.insert(candidate)  // another host won this one: take the next
        }
        throw ClusterStoreError.contended(key: ClusterKeys.addresses(of: network.id), attempts: maximumAttempts)
    }

    /// Releases an address, only if `owner` still holds it (a later holder is left alone).
    public func release(_ address: IPv4Address, in network: String, owner: String) async throws {
        let key = ClusterKeys.address(address, of: network)
        guard let current = try await store.value(at: key) else { return }
        let holder = try ClusterRecordCoding.decode(AddressAllocation.self, from: current.value, key: key)
        guard holder.owner == owner else { return }
        _ = try await store.commit(EtcdTransaction(comparisons: [.modRevision(key, equals: current.modRevision)],
                                                   success: [.delete(key)]))
    }

    /// The addresses of a network held now.
    public func allocated(in network: String) async throws -> Set<IPv4Address> {
        let range = try await store.values(under: ClusterKeys.addresses(of: network))
        var taken = Set<IPv4Address>()
        for kv in range.keyValues {
            if let address = IPv4Address(String(kv.key.dropFirst(ClusterKeys.addresses(of: network).count))) {
                taken.insert(address)
            }
        }
        return taken
    }
}
