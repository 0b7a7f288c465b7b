/// A compare-and-swap: the operations of `success` run if every comparison holds, else those of `failure`,
/// atomically (`/v3/kv/txn`).
public struct EtcdTransaction: Sendable, Equatable {
    /// One condition on a key.
    public enum Comparison: Sendable, Equatable {
        /// The key's create revision equals this; 0 means the key does not exist.
        case createRevision(String, equals: Int64)
        /// The key's last modification was at this revision (nobody wrote it since it was read).
        case modRevision(String, equals: Int64)

        /// The key the condition reads.
        public var key: String {
            switch self {
            case .createRevision(let key, _), .modRevision(let key, _): key
            }
        }
    }

    /// One operation inside a transaction.
    public enum Operation: Sendable, Equatable {
        case put(String, value: [UInt8], lease: Int64)
        case delete(String)
        case get(String)
    }

    public var comparisons: [Comparison]
    public var success: [Operation]
    public var failure: [Operation]

    public init(comparisons: [Comparison], success: [Operation], failure: [Operation] = []) {
        self.comparisons = comparisons
        self.success = success
        self.failure = failure
    }

    /// Creates `key` only if it does not exist yet; on failure reads the current holder.
    public static func create(_ key: String, value: [UInt8], lease: Int64 = 0) -> EtcdTransaction {
        EtcdTransaction(comparisons: [.createRevision(key, equals: 0)],
                        success: [.put(key, value: value, lease: lease)], failure: [.get(key)])
    }
}

/// What a transaction did.
public struct EtcdTransactionResult: Sendable, Equatable {
    /// Whether every comparison held (so `success` ran).
    public var succeeded: Bool
    /// The store's revision after the transaction.
    public var revision: Int64
    /// The keys read by `.get` operations of the branch that ran.
    public var keyValues: [EtcdKeyValue]

    public init(succeeded: Bool, revision: Int64, keyValues: [EtcdKeyValue] = []) {
        self.succeeded = succeeded
        self.revision = revision
        self.keyValues = keyValues
    }
}
