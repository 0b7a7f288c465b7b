import SystemKit

/// A node's attachment to a network.
public struct NodeNetwork: Sendable {
    /// The network's name.
    public var network: String
    /// A fixed address, or nil for one from the engine's IPAM.
    public var address: IPAddress?
    /// Extra DNS names on this network.
    public var aliases: [String] = []
    /// Line in the file.
    public var line: Int
}
