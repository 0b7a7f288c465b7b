import SpliceNet
import SystemKit

/// Everything under `/splice/v1/` at one revision, kept current by applying watch batches.
public struct ClusterSnapshot: Sendable {
    /// The revision the snapshot reflects.
    public private(set) var revision: Int64
    private var entries: [String: EtcdKeyValue]

    /// A snapshot of the given range.
    public init(_ range: EtcdRange) {
        revision = range.revision
        entries = Dictionary(range.keyValues.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Applies a watch batch (events older than the snapshot are ignored).
    public mutating func apply(_ batch: EtcdWatchBatch) {
        for event in batch.events where event.keyValue.modRevision > revision || event.kind == .delete {
            switch event.kind {
            case .put: entries[event.keyValue.key] = event.keyValue
            case .delete: entries[event.keyValue.key] = nil
            }
        }
        revision = max(revision, batch.revision)
    }

    /// The hosts alive now (their leases unexpired).
    public var hosts: [ClusterHost] { records(under: ClusterKeys.hosts) }

    /// The global networks.
    public var networks: [ClusterNetwork] { records(under: ClusterKeys.networks) }

    /// Every endpoint of every global network.
    public var endpoints: [ClusterEndpoint] { records(under: ClusterKeys.endpoints) }

    /// The endpoints of one network.
    public func endpoints(of network: String) -> [ClusterEndpoint] {
        records(under: ClusterKeys.endpoints(of: network))
    }

    /// The host subnets of one routed network.
    public func hostSubnets(of network: String) -> [HostSubnet] {
        records(under: ClusterKeys.hostSubnets(of: network))
    }

    /// The lease a host subnet is held under (nil when it is not in the store).
    public func lease(ofHostSubnet subnet: IPNetwork, network: String) -> Int64? {
        entries[ClusterKeys.hostSubnet(subnet, of: network)]?.lease
    }

    /// The lease an endpoint is published under (nil when it is not in the store).
    public func lease(ofEndpoint id: String, network: String) -> Int64? {
        entries[ClusterKeys.endpoint(id, of: network)]?.lease
    }

    /// A network by id, full name or unique id prefix.
    public func network(matching reference: String) -> ClusterNetwork? {
        let all = networks
        if let exact = all.first(where: { $0.id == reference || $0.name == reference }) { return exact }
        let prefixed = all.filter { $0.id.hasPrefix(reference) }
        return prefixed.count == 1 ? prefixed.first : nil
    }

    /// The records under a prefix that decode as `Record`, in key order (others are skipped).
    private func records<Record: Decodable>(under prefix: String) -> [Record] {
        entries.keys.filter { $0.hasPrefix(prefix) }.sorted().compactMap { key in
            guard let entry = entries[key] else { return nil }
            return try? ClusterRecordCoding.decode(Record.self, from: entry.value, key: key)
        }
    }
}
