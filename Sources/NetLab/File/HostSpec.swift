import SystemKit

/// A simulated host: a network namespace, with its own `spliced` unless `engine: none`.
public struct HostSpec: Sendable {
    /// The host's name.
    public var name: String
    /// Whether a `spliced` runs there.
    public var engine = true
    /// The uplink address, or nil for one from the underlay pool.
    public var uplinkAddress: IPNetwork?
    /// Plain Linux bridges made in the host's namespace (containerlab's `kind: bridge`).
    public var bridges: [String] = []
    /// Shell commands run in the host's namespace once its nodes run (pipework, ip, ...).
    public var exec: [String] = []
    /// The cluster store the host's spliced uses: `etcd` (the lab's, the default when the lab has a store),
    /// `none`, or an `etcd://HOST:PORT[,HOST:PORT]` URL; after validation the URL or nil.
    public var clusterStore: String?
    /// Line in the file.
    public var line: Int
}
