import SystemKit

/// A veth between two endpoints, with its impairments.
public struct LinkSpec: Sendable {
    /// The two ends.
    public var endpoints: [LinkEndpoint]
    /// The MTU of each end.
    public var mtu: [UInt32] = []
    /// Addresses for each end (`ADDR/LEN`), or empty.
    public var addresses: [IPNetwork] = []
    /// A bridge in the host's namespace the host end joins.
    public var bridge: String?
    /// A tbf rate such as `10mbit`, applied on both ends.
    public var rate: String?
    /// Percent of packets each end drops on the way out (nftables `numgen random`).
    public var loss: Int?
    /// Declared delay (refused: this kernel has no netem).
    public var delay: String?
    /// Declared jitter (refused: this kernel has no netem).
    public var jitter: String?
    /// Line in the file.
    public var line: Int

    /// The link's name in steps and graphs: `a:eth1--b:eth1`.
    public var name: String { endpoints.map(\.description).joined(separator: "--") }
}
