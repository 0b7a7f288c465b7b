import SystemKit

/// A container network on every host that has a node on it.
public struct NetworkSpec: Sendable {
    /// The network's name.
    public var name: String
    /// `bridge` (one per host), `overlay` and `routed` (global: created once in the lab's store), or `macvlan`
    /// (one per host, children of the host's uplink).
    public var driver = "bridge"
    /// The subnet, or nil for one from the lab's pool.
    public var subnet: IPNetwork?
    /// The MTU of the network's bridge (or of a macvlan network's children).
    public var mtu: UInt32?
    /// Whether the network is internal (no way out).
    public var isInternal = false
    /// A macvlan network's parent on every host (`eth0`, the uplink, unless given).
    public var parent: String?
    /// A routed network's per-host subnet size (`-o splice.routed.host_prefix`), nil for the engine's /24.
    public var hostPrefix: Int?
    /// A macvlan network's address range on each host (host name to range), filled in by validation: disjoint
    /// slices of the subnet, clear of the uplinks, the switch, the store and the nodes' fixed addresses.
    public var ranges: [String: IPNetwork] = [:]
    /// A macvlan network's gateway, filled in by validation: the switch when the subnet is the underlay's.
    public var gateway: IPv4Address?
    /// Line in the file.
    public var line: Int

    /// Creates a bridge network named `name` declared at `line`.
    public init(name: String, line: Int) {
        self.name = name
        self.line = line
    }

    /// Whether the network is created once in the cluster store rather than on each host.
    public var isGlobal: Bool { driver == "overlay" || driver == "routed" }
}
