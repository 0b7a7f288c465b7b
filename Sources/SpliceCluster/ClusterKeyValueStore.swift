/// The key-value operations the cluster records are kept with: reads at a revision and compare-and-swap
/// transactions. `EtcdClient` is the real one; the hermetic tests use an in-memory one with the same rules.
public protocol ClusterKeyValueStore: Sendable {
    /// Reads one key. Equivalent to `etcdctl get KEY`.
    func value(at key: String) async throws(ClusterStoreError) -> EtcdKeyValue?
    /// Reads every key under a prefix, at one revision. Equivalent to `etcdctl get --prefix PREFIX`.
    func values(under prefix: String) async throws(ClusterStoreError) -> EtcdRange
    /// Runs a transaction atomically. Equivalent to `etcdctl txn`.
    func commit(_ transaction: EtcdTransaction) async throws(ClusterStoreError) -> EtcdTransactionResult
}
