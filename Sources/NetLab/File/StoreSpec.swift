import SystemKit

/// The lab's cluster store: etcd members, each in its own namespace on the underlay switch.
public struct StoreSpec: Sendable {
    /// The store kind (`etcd`).
    public var kind: String
    /// The number of members: 1, or 3 for a store that survives the loss of one.
    public var members: Int
    /// The daemons' `--cluster-store-opt lease.ttl` (seconds), or nil for spliced's default.
    public var leaseTTL: Int?
    /// The members' underlay addresses (taken from the top of the underlay pool, below the switch's).
    public var addresses: [IPNetwork] = []
    /// Line in the file.
    public var line: Int

    /// The name of member `index` (`etcd1`, `etcd2`, ...).
    static func memberName(_ index: Int) -> String { "etcd\(index + 1)" }

    /// The store URL the hosts' spliced use: `etcd://ADDR:2379[,ADDR:2379]`.
    var url: String {
        "etcd://" + addresses.compactMap { $0.ipv4Address.map { "\($0):2379" } }.joined(separator: ",")
    }
}
