import SystemKit

/// The underlay: one switch (a bridge in the lab's own namespace) with a veth to every host.
public struct UnderlaySpec: Sendable {
    /// `switch` (built) or `routed` (parsed, refused for now).
    public var kind = "switch"
    /// The pool uplink addresses come from (default 10.99.0.0/16); the switch itself takes the last address.
    public var subnet: IPNetwork?
    /// The MTU of the switch and the uplinks.
    public var mtu: UInt32?
    /// Line in the file.
    public var line = 0
}
