import Synchronization
import SystemKit
@testable import SpliceCluster

/// An in-memory store with etcd's transaction rules (create revision 0 = absent, one revision per write), and a
/// hook that runs before each commit so a test can play a competing host winning a race.
final class InMemoryKeyValueStore: ClusterKeyValueStore {
    private struct State {
        var revision: Int64 = 1
        var entries: [String: EtcdKeyValue] = [:]
        var commits = 0
    }
    private let state = Mutex(State())
    /// Runs before every commit with the commit's number (from 0); may write through `write`.
    let beforeCommit: @Sendable (Int, EtcdTransaction, InMemoryKeyValueStore) -> Void

    init(beforeCommit: @escaping @Sendable (Int, EtcdTransaction, InMemoryKeyValueStore) -> Void = { _, _, _ in }) {
        self.beforeCommit = beforeCommit
    }

    var commitCount: Int { state.withLock { $0.commits } }

    /// Writes a key directly, as another host would.
    func write(_ key: String, _ value: [UInt8]) {
        state.withLock { state in
            state.revision += 1
            let created = state.entries[key]?.createRevision ?? state.revision
            state.entries[key] = EtcdKeyValue(key: key, value: value, createRevision: created,
                                              modRevision: state.revision)
        }
    }

    func value(at key: String) async throws(ClusterStoreError) -> EtcdKeyValue? {
        state.withLock { $0.entries[key] }
    }

    func values(under prefix: String) async throws(ClusterStoreError) -> EtcdRange {
        state.withLock { state in
            EtcdRange(keyValues: state.entries.values.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key },
                      revision: state.revision)
        }
    }

    func commit(_ transaction: EtcdTransaction) async throws(ClusterStoreError) -> EtcdTransactionResult {
        let number = state.withLock { state in
            state.commits += 1
            return state.commits - 1
        }
        beforeCommit(number, transaction, self)
        return state.withLock { state in
            let holds = transaction.comparisons.allSatisfy { comparison in
                switch comparison {
                case .createRevision(let key, let revision): (state.entries[key]?.createRevision ?? 0) == revision
                case .modRevision(let key, let revision): (state.entries[key]?.modRevision ?? 0) == revision
                }
            }
            var read: [EtcdKeyValue] = []
            let operations = holds ? transaction.success : transaction.failure
            if operations.contains(where: { if case .get = $0 { false } else { true } }) { state.revision += 1 }
            for operation in operations {
                switch operation {
                case .put(let key, let value, let lease):
                    let created = state.entries[key]?.createRevision ?? state.revision
                    state.entries[key] = EtcdKeyValue(key: key, value: value, createRevision: created,
                                                      modRevision: state.revision, lease: lease)
                case .delete(let key):
                    state.entries[key] = nil
                case .get(let key):
                    if let entry = state.entries[key] { read.append(entry) }
                }
            }
            return EtcdTransactionResult(succeeded: holds, revision: state.revision, keyValues: read)
        }
    }
}
