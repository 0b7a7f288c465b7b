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
    /// The cluster store the lab starts (etcd).
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
