/// A key and its value as etcd reports them, with the revisions compare-and-swap works with.
public struct EtcdKeyValue: Sendable, Equatable {
    public var key: String
    public var value: [UInt8]
    /// The revision that created the key (0 in a comparison means "does not exist").
    public var createRevision: Int64
    /// The revision of the last change.
    public var modRevision: Int64
    /// The lease the key is attached to, or 0.
    public var lease: Int64

    public init(key: String, value: [UInt8], createRevision: Int64 = 0, modRevision: Int64 = 0, lease: Int64 = 0) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.lease = lease
    }
}

/// The keys under a prefix at one revision of the store.
public struct EtcdRange: Sendable, Equatable {
    public var keyValues: [EtcdKeyValue]
    /// The store's revision the answer was read at; watch from `revision + 1` to miss nothing.
    public var revision: Int64

    public init(keyValues: [EtcdKeyValue], revision: Int64) {
        self.keyValues = keyValues
        self.revision = revision
    }
}

/// A change seen by a watch.
public struct EtcdEvent: Sendable, Equatable {
    /// Whether the key was written or deleted.
    public enum Kind: Sendable, Equatable { case put, delete }
    public var kind: Kind
    /// The key after the change (for a delete: the key with an empty value and the deleting revision).
    public var keyValue: EtcdKeyValue

    public init(kind: Kind, keyValue: EtcdKeyValue) {
        self.kind = kind
        self.keyValue = keyValue
    }
}
