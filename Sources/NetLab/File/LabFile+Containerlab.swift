import SystemKit
import Yams

extension LabFile {
    /// The one simulated host a containerlab file is mapped onto.
    static let containerlabHost = "host"
    /// The management network every `kind: linux` node is on (containerlab's eth0), unless `mgmt.network` names
    /// another.
    static let containerlabNetwork = "clab"
    /// The node keys a containerlab file may use here (at a node, in `topology.kinds.KIND` or in
    /// `topology.defaults`).
    static let containerlabNodeKeys = [
        "kind", "image", "exec", "cmd", "env", "binds", "ports", "labels", "user", "entrypoint", "mgmt-ipv4",
        "network-mode", "wait-for", "group",
    ]

    /// Maps a containerlab file onto one host: `kind: linux` nodes become containers (eth0 on the management
    /// network, `mgmt.ipv4-subnet` its subnet), `kind: bridge` nodes bridges in the host's namespace, `links` veths
    /// between `endpoints` (the brief `"NODE:IFACE"` form and the extended `type: veth` form). A node's settings are
    /// its own over its kind's (`topology.kinds`) over `topology.defaults`, with `env`, `labels` and `binds` merged
    /// as containerlab merges them.
    static func containerlab(_ top: YAMLMap) throws(LabError) -> LabFile {
        try top.checkKeys(["name", "prefix", "mgmt", "topology"])
        var lab = LabFile(name: try top.required("name"))
        lab.hosts = [HostSpec(name: containerlabHost, line: top.line)]
        var management = NetworkSpec(name: containerlabNetwork, line: top.line)
        // containerlab's default management subnet, so the addresses its users expect (172.20.20.x) hold here too.
        management.subnet = IPNetwork("172.20.20.0/24")
        if let mgmt = try top.map("mgmt", section: "mgmt") {
            try mgmt.checkKeys(["network", "ipv4-subnet", "mtu"])
            management.name = try mgmt.string("network") ?? containerlabNetwork
            if let text = try mgmt.string("ipv4-subnet") {
                guard let subnet = IPNetwork(text) else {
                    throw .invalid(line: mgmt.line("ipv4-subnet"), message: "mgmt: '\(text)' is not a subnet")
                }
                management.subnet = subnet
            }
            if let mtu = try mgmt.int("mtu") {
                guard mtu >= 68 else {
                    throw .invalid(line: mgmt.line("mtu"), message: "mgmt: mtu must be a number from 68, not \(mtu)")
                }
                management.mtu = UInt32(mtu)
            }
        }
        lab.networks = [management]
        guard let topology = try top.map("topology", section: "topology") else {
            throw .invalid(line: top.line, message: "a containerlab file needs 'topology'")
        }
        try topology.checkKeys(["defaults", "kinds", "nodes", "links"])
        let defaults = try topology.map("defaults", section: "topology.defaults")
        try defaults?.checkKeys(containerlabNodeKeys)
        var kinds: [String: YAMLMap] = [:]
        if let kindMap = try topology.map("kinds", section: "topology.kinds") {
            for pair in kindMap.pairs {
                let map = try YAMLMap(pair.value, section: "topology.kinds.\(pair.key)")
                try map.checkKeys(containerlabNodeKeys)
                kinds[pair.key] = map
            }
        }
        var bridges: [String] = []
        if let nodes = try topology.map("nodes", section: "topology.nodes") {
            for pair in nodes.pairs {
                let map = try YAMLMap(pair.value, section: "node '\(pair.key)'")
                try map.checkKeys(containerlabNodeKeys)
                var kind = try map.string("kind")
                if kind == nil, let defaults { kind = try defaults.string("kind") }
                switch kind ?? "linux" {
                case "linux":
                    let layers = [map, kinds["linux"], defaults].compactMap { $0 }
                    lab.nodes.append(try containerlabNode(pair.key, line: pair.line, layers: layers,
                                                          network: management.name))
                case "bridge":
                    bridges.append(pair.key)
                default:
                    throw .invalid(
                        line: map.line("kind"),
                        message: "node '\(pair.key)': kind '\(kind ?? "")' is not supported (linux and bridge are)")
                }
            }
        }
        lab.hosts[0].bridges = bridges
        if !lab.nodes.isEmpty { lab.images = [ImageSpec(name: "busybox", source: .busybox, line: top.line)] }
        if let links = topology.value("links") {
            guard let sequence = links.sequence else {
                throw .invalid(line: topology.line("links"), message: "topology.links must be a list")
            }
            for item in sequence {
                var link = try containerlabLink(item)
                for (index, endpoint) in link.endpoints.enumerated() where bridges.contains(endpoint.owner) {
                    guard link.bridge == nil else {
                        throw .invalid(line: link.line, message: "a link may join at most one bridge")
                    }
                    link.bridge = endpoint.owner
                    link.endpoints[index].owner = containerlabHost
                }
                lab.links.append(link)
            }
        }
        return lab
    }

    /// A `kind: linux` node from its settings, most specific layer first.
    static func containerlabNode(_ name: String, line: Int, layers: [YAMLMap], network: String)
        throws(LabError) -> NodeSpec
    {
        /// The most specific layer that sets `key`.
        func layer(_ key: String) -> YAMLMap? { layers.first { $0.value(key) != nil } }
        guard let imageLayer = layer("image"), let image = try imageLayer.string("image") else {
            throw .invalid(line: line, message: "node '\(name)': 'image' is required")
        }
        guard image == "busybox" || image == "bb" || image.hasPrefix("busybox:") else {
            throw .invalid(
                line: imageLayer.line("image"),
                message: "node '\(name)': image '\(image)' is not available to a containerlab file here (only "
                    + "busybox, built from busybox-static); use a Splice lab file with 'images:' to import a tar")
        }
        var node = NodeSpec(name: name, host: containerlabHost, image: "busybox", line: line)
        if let mode = try layer("network-mode")?.string("network-mode") {
            node.networkMode = mode
        } else {
            var attachment = NodeNetwork(network: network, line: line)
            if let map = layer("mgmt-ipv4"), let text = try map.string("mgmt-ipv4") {
                guard let address = IPAddress(text) else {
                    throw .invalid(line: map.line("mgmt-ipv4"), message: "node '\(name)': '\(text)' is not an address")
                }
                attachment.address = address
            }
            node.networks = [attachment]
        }
        node.exec = try layer("exec")?.strings("exec") ?? []
        node.ports = try layer("ports")?.strings("ports") ?? []
        node.waitFor = try layer("wait-for")?.strings("wait-for") ?? []
        node.user = try layer("user")?.string("user")
        node.entrypoint = try layer("entrypoint")?.string("entrypoint")
        if let map = layer("cmd") {
            if let value = map.value("cmd"), value.sequence != nil {
                node.cmd = try YAMLMap.strings(value, what: "node '\(name)': 'cmd'")
            } else {
                let text = try map.required("cmd")
                guard let words = ShellWords.split(text) else {
                    throw .invalid(line: map.line("cmd"), message: "node '\(name)': 'cmd' has an unclosed quote")
                }
                node.cmd = words
            }
        }
        // Merged from the least specific layer up: a node's own value wins.
        var environment: [(String, String)] = []
        for map in layers.reversed() {
            for (key, value) in try keyValues(map, "env", node: name) {
                environment.removeAll { $0.0 == key }
                environment.append((key, value))
            }
            for (key, value) in try keyValues(map, "labels", node: name) { node.labels[key] = value }
            for bind in try map.strings("binds") where !node.binds.contains(bind) { node.binds.append(bind) }
        }
        node.env = environment.map { "\($0.0)=\($0.1)" }
        // containerlab's linux nodes configure their own interfaces in exec steps.
        node.capAdd = ["NET_ADMIN"]
        if node.cmd.isEmpty && node.entrypoint == nil { node.cmd = ["sleep", "1000000"] }
        return node
    }

    /// `key` of `map` as pairs: a mapping (containerlab's form) or a list of `KEY=VALUE`.
    static func keyValues(_ map: YAMLMap, _ key: String, node: String) throws(LabError) -> [(String, String)] {
        guard let value = map.value(key), value.null == nil else { return [] }
        if value.mapping != nil {
            return try YAMLMap(value, section: "node '\(node)' \(key)").pairs.map { pair throws(LabError) in
                guard pair.value.scalar != nil, let text = pair.value.string else {
                    throw .invalid(line: pair.line, message: "node '\(node)' \(key): '\(pair.key)' must be a scalar")
                }
                return (pair.key, text)
            }
        }
        return try map.strings(key).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count == 2 ? String(parts[1]) : "")
        }
    }

    /// A containerlab link: `endpoints: ["a:eth1", "b:eth1"]`, or the extended form `type: veth` with
    /// `endpoints: [{node: a, interface: eth1}, …]`; `mtu` either way.
    static func containerlabLink(_ item: Node) throws(LabError) -> LinkSpec {
        let map = try YAMLMap(item, section: "link")
        guard let type = try map.string("type") else {
            try map.checkKeys(["endpoints", "mtu"])
            return try parseLink(item)
        }
        try map.checkKeys(["type", "endpoints", "mtu"])
        guard type == "veth" else {
            throw .invalid(line: map.line("type"), message: "link type '\(type)' is not supported here (veth is)")
        }
        guard let sequence = map.value("endpoints")?.sequence, sequence.count == 2 else {
            throw .invalid(line: map.line("endpoints"), message: "a veth link needs two endpoints")
        }
        var link = LinkSpec(endpoints: [], line: map.line)
        for endpoint in sequence {
            let fields = try YAMLMap(endpoint, section: "link endpoint")
            try fields.checkKeys(["node", "interface"])
            link.endpoints.append(LinkEndpoint(owner: try fields.required("node"),
                                               interface: try fields.required("interface")))
        }
        if let mtu = try map.int("mtu") {
            guard mtu >= 68 else {
                throw .invalid(line: map.line("mtu"), message: "link mtu must be a number from 68, not '\(mtu)'")
            }
            link.mtu = [UInt32(mtu)]
        }
        return link
    }
}
