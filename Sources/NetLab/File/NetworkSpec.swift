import SystemKit

/// A container network on every host that has a node on it.
public struct NetworkSpec: Sendable {
    /// The network's name.
    public var name: String
    /// `bridge` or `overlay` (built); `macvlan`, `routed` (parsed, refused for now).
    public var driver = "bridge"
    /// The subnet, or nil for one from the lab's pool.
    public var subnet: IPNetwork?
    /// The MTU of the network's bridge.
    public var mtu: UInt32?
    /// Whether the network is internal (no way out).
    public var isInternal = false
    /// Line in the file.
    public var line: Int
}
