/// One end of a link: a node's or a host's interface.
public struct LinkEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The node or host name.
    public var owner: String
    /// The interface name in its namespace.
    public var interface: String
    /// `owner:interface`.
    public var description: String { "\(owner):\(interface)" }
}
