/// A lease granted by etcd: keys attached to it vanish when it is not kept alive within its TTL.
public struct EtcdLease: Sendable, Equatable {
    public var id: Int64
    /// The time to live in seconds, as granted.
    public var ttl: Int64

    public init(id: Int64, ttl: Int64) {
        self.id = id
        self.ttl = ttl
    }
}
