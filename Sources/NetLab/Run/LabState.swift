import Foundation

/// What `up` made, written before each object is created so that `down` can remove it all, also after
/// `up` was killed: `/run/splice-lab/NAME/state.json`.
public struct LabState: Codable, Sendable {
    /// Where labs keep their state.
    public static let root = "/run/splice-lab"

    /// A simulated host.
    public struct Host: Codable, Sendable {
        /// The name.
        public var name: String
        /// The network namespace name.
        public var namespace: String
        /// The uplink address (ADDR/LEN).
        public var uplink: String
        /// Whether a spliced runs there.
        public var engine: Bool
        /// The host's directory: graph, socket, pid file, log.
        public var directory: String
        /// The recorded spliced PID (0 when none).
        public var pid: Int32 = 0
        /// Whether the host's `exec` steps ran.
        public var execDone = false
        /// The `--cluster-store` URL its spliced runs with (nil: none).
        public var clusterStore: String?
        /// The `--cluster-store-opt lease.ttl` seconds (nil: spliced's default).
        public var leaseTTL: Int?
        /// Its port on the underlay switch (nil in state files from before ports were recorded: `pN` by position).
        public var port: String?
        /// What the host was made from (nil in state files from before definitions were recorded).
        public var definition: [String: String]?
        /// The daemon socket.
        public var socket: String { directory + "/splice.sock" }
    }

    /// A container.
    public struct Node: Codable, Sendable {
        /// The name.
        public var name: String
        /// The host it runs on.
        public var host: String
        /// The image.
        public var image: String
        /// Network name to address.
        public var addresses: [String: String] = [:]
        /// Network name to MAC.
        public var macs: [String: String] = [:]
        /// The container's PID when `up` last saw it (its namespace is found through it while the host's
        /// spliced is down).
        public var pid: Int32 = 0
        /// What the container was created from (nil in state files from before definitions were recorded).
        public var definition: [String: String]?
    }

    /// A container network.
    public struct Network: Codable, Sendable {
        /// The name.
        public var name: String
        /// The subnet.
        public var subnet: String
        /// The hosts.
        public var hosts: [String]
        /// What the network was made from (nil in state files from before definitions were recorded).
        public var definition: [String: String]?
        /// Each host's part of the network (host name to subnet): a routed network's leased per-host subnet, a
        /// macvlan network's address range; nil for other drivers.
        public var parts: [String: String]?
    }

    /// A member of the lab's etcd store: its own namespace on the switch, its data under the lab's directory.
    public struct StoreMember: Codable, Sendable {
        /// The member name (`etcd1`).
        public var name: String
        /// The network namespace name.
        public var namespace: String
        /// The underlay address (ADDR/LEN).
        public var address: String
        /// The member's directory: data, pid file, log.
        public var directory: String
        /// The recorded etcd PID (0 when none).
        public var pid: Int32 = 0
        /// The data directory.
        public var dataDirectory: String { directory + "/data" }
        /// The address without its prefix length.
        var host: String { address.split(separator: "/").first.map(String.init) ?? "" }
        /// The client URL (`http://ADDR:2379`).
        public var clientURL: String { "http://\(host):2379" }
        /// The peer URL (`http://ADDR:2380`).
        public var peerURL: String { "http://\(host):2380" }
    }

    /// A veth link.
    public struct Link: Codable, Sendable {
        /// The name.
        public var name: String
        /// What the link does to traffic (mtu, rate, loss).
        public var impairments: String
        /// What the link was made from (nil in state files from before definitions were recorded).
        public var definition: [String: String]?
    }

    /// The name.
    public var name: String
    /// The lab file (absolute path).
    public var file: String
    /// The namespace of the underlay switch.
    public var switchNamespace: String
    /// The switch address on the underlay (on a routed underlay: the router's, on the store's segment).
    public var switchAddress: String
    /// The router namespace of a routed underlay (nil for a switch).
    public var routerNamespace: String?
    /// The hosts.
    public var hosts: [Host] = []
    /// The containers.
    public var nodes: [Node] = []
    /// The container networks.
    public var networks: [Network] = []
    /// The veth links.
    public var links: [Link] = []
    /// The etcd members (nil: the lab has no store).
    public var store: [StoreMember]?
    /// The underlay and store the lab was made with, which a second `up` does not change (nil in state files
    /// from before definitions were recorded).
    public var definition: [String: String]?

    /// The directory of lab `name`.
    public static func directory(of name: String) -> String { root + "/" + name }

    /// Reads the state of lab `name`.
    public static func load(name: String) throws(LabError) -> LabState {
        let path = directory(of: name) + "/state.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw .noSuchLab(name: name) }
        do {
            return try JSONDecoder().decode(LabState.self, from: data)
        } catch {
            throw .state(path: path, cause: error)
        }
    }

    /// The names of every lab with a state file.
    public static func all() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: root + "/" + $0 + "/state.json") }.sorted()
    }

    /// Writes the state atomically.
    func save() throws(LabError) {
        let directory = Self.directory(of: name)
        let path = directory + "/state.json"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .state(path: path, cause: error)
        }
    }

    /// The host named `name`.
    func host(_ name: String) -> Host? { hosts.first { $0.name == name } }
    /// The node named `name`.
    func node(_ name: String) -> Node? { nodes.first { $0.name == name } }
    /// The store member named `name`.
    func member(_ name: String) -> StoreMember? { store?.first { $0.name == name } }
}
