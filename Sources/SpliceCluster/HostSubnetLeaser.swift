import SpliceNet
import SystemKit

/// Leases a routed network's host subnets with compare-and-swap transactions: a subnet is taken by creating its
/// key only if absent, under the host's lease. A host that holds one already (under an older lease of its own)
/// moves it to its current lease; one that comes back after its lease expired gets its previous subnet again when
/// it is still free.
public struct HostSubnetLeaser: Sendable {
    let store: any ClusterKeyValueStore
    /// How many lost races in a row are tolerated before giving up with `.contended`.
    public var maximumAttempts = 64

    public init(store: any ClusterKeyValueStore) { self.store = store }

    /// Why no subnet was leased, beyond the store's own errors.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Every host subnet is held by another host.
        case exhausted(network: String, hosts: Int)

        public var description: String {
            switch self {
            case .exhausted(let network, let hosts):
                "routed network \(network): all \(hosts) host subnets are held by other hosts"
            }
        }
    }

    /// The subnet `host` holds of `network`, leased under `lease`: the one it holds already, else `preferred` when
    /// free, else the lowest free one.
    public func lease(in network: ClusterNetwork, picker: HostSubnetPicker, host: String, lease: Int64,
                      preferred: IPNetwork? = nil) async throws -> IPNetwork
    {
        let prefix = ClusterKeys.hostSubnets(of: network.id)
        for _ in 0..<maximumAttempts {
            let held = try await store.values(under: prefix).keyValues
            var taken = Set<IPNetwork>()
            var mine: (record: HostSubnet, entry: EtcdKeyValue)?
            for entry in held {
                guard let record = try? ClusterRecordCoding.decode(HostSubnet.self, from: entry.value, key: entry.key)
                else { continue }
                taken.insert(record.subnet)
                if record.host == host, mine == nil { mine = (record, entry) }
            }
            if let mine {
                if mine.entry.lease == lease { return mine.record.subnet }
                let moved = try await store.commit(EtcdTransaction(
                    comparisons: [.modRevision(mine.entry.key, equals: mine.entry.modRevision)],
                    success: [.put(mine.entry.key, value: mine.entry.value, lease: lease)]))
                if moved.succeeded { return mine.record.subnet }
                continue
            }
            guard let candidate = picker.pick(excluding: taken, preferred: preferred) else {
                throw Failure.exhausted(network: network.name, hosts: picker.count)
            }
            let record = HostSubnet(network: network.id, subnet: candidate, host: host)
            let key = ClusterKeys.hostSubnet(candidate, of: network.id)
            let result = try await store.commit(.create(key, value: try ClusterRecordCoding.encode(record),
                                                        lease: lease))
            if result.succeeded { return candidate }
        }
        throw ClusterStoreError.contended(key: prefix, attempts: maximumAttempts)
    }

    /// Gives `subnet` back, only while `host` still holds it.
    public func release(_ subnet: IPNetwork, of network: String, host: String) async throws {
        let key = ClusterKeys.hostSubnet(subnet, of: network)
        guard let current = try await store.value(at: key) else { return }
        let holder = try ClusterRecordCoding.decode(HostSubnet.self, from: current.value, key: key)
        guard holder.host == host else { return }
        _ = try await store.commit(EtcdTransaction(comparisons: [.modRevision(key, equals: current.modRevision)],
                                                   success: [.delete(key)]))
    }
}
