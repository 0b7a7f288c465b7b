import SystemKit

/// A lab as its file declares it: simulated hosts, their underlay, networks, containers, links and tests.
public struct LabFile: Sendable {
    /// The lab's name (namespaces and the state directory carry it).
    public var name: String
    /// Images imported into every host with an engine, by name.
    public var images: [ImageSpec] = []
    /// The simulated hosts, in file order.
    public var hosts: [HostSpec] = []
    /// The switch joining the hosts' uplinks.
    public var underlay = UnderlaySpec()
    /// The cluster store (parsed; `up` refuses it for now).
    public var store: StoreSpec?
    /// Container networks.
    public var networks: [NetworkSpec] = []
    /// Containers.
    public var nodes: [NodeSpec] = []
    /// Point-to-point veth links.
    public var links: [LinkSpec] = []
    /// The checks `splice lab test` runs, in order.
    public var tests: [CheckSpec] = []
    /// The directory of the file, against which relative paths are resolved.
    public var directory = "."

    /// Creates an empty lab named `name`.
    public init(name: String) { self.name = name }

    /// The host named `name`.
    func host(_ name: String) -> HostSpec? { hosts.first { $0.name == name } }
    /// The node named `name`.
    func node(_ name: String) -> NodeSpec? { nodes.first { $0.name == name } }
    /// The network named `name`.
    func network(_ name: String) -> NetworkSpec? { networks.first { $0.name == name } }
}

/// An image every engine host gets: built from the machine's busybox-static, or imported from a tar file.
public struct ImageSpec: Sendable {
    /// Where the root file system comes from.
    public enum Source: Sendable, Equatable {
        /// `/bin/busybox` and a link per applet.
        case busybox
        /// A root file system tar (what `splice import` takes).
        case tar(path: String)
    }
    /// The image name nodes use.
    public var name: String
    /// Where it comes from.
    public var source: Source
    /// Line in the file.
    public var line: Int
}

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
    /// The cluster store the host's spliced uses (parsed; refused by `up` for now).
    public var clusterStore: String?
    /// Line in the file.
    public var line: Int
}

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

/// The cluster store the lab would start (parsed; `up` refuses it until the overlay work lands).
public struct StoreSpec: Sendable {
    /// The store kind (`etcd`).
    public var kind: String
    /// The number of members.
    public var members: Int
    /// Line in the file.
    public var line: Int
}

/// A container network on every host that has a node on it.
public struct NetworkSpec: Sendable {
    /// The network's name.
    public var name: String
    /// `bridge` (built); `macvlan`, `overlay`, `routed` (parsed, refused for now).
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

/// A container on a host.
public struct NodeSpec: Sendable {
    /// The node's name (its container name).
    public var name: String
    /// The host it runs on.
    public var host: String
    /// The image.
    public var image: String
    /// The command (argv), or empty for the image's.
    public var cmd: [String] = []
    /// Networks in attach order.
    public var networks: [NodeNetwork] = []
    /// `none`, `host` or `container:NODE`, instead of networks.
    public var networkMode: String?
    /// Published ports in `-p` syntax.
    public var ports: [String] = []
    /// Environment, `KEY=VALUE`.
    public var env: [String] = []
    /// Shell commands run in the node after it starts.
    public var exec: [String] = []
    /// Capabilities added to the container (`--cap-add`).
    public var capAdd: [String] = []
    /// Nodes that must be running first.
    public var waitFor: [String] = []
    /// Line in the file.
    public var line: Int
}

/// One end of a link: a node's or a host's interface.
public struct LinkEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The node or host name.
    public var owner: String
    /// The interface name in its namespace.
    public var interface: String
    /// `owner:interface`.
    public var description: String { "\(owner):\(interface)" }
}

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
