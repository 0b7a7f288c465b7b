import Yams

extension LabFile {
    /// The one simulated host a containerlab file is mapped onto.
    static let containerlabHost = "host"
    /// The management network every `kind: linux` node is on (containerlab's eth0).
    static let containerlabNetwork = "clab"

    /// Maps a containerlab file onto one host: `kind: linux` nodes become containers (eth0 on a management
    /// network), `kind: bridge` nodes bridges in the host's namespace, `links` veths between `endpoints`.
    static func containerlab(_ top: YAMLMap) throws(LabError) -> LabFile {
        try top.checkKeys(["name", "topology"])
        var lab = LabFile(name: try top.required("name"))
        lab.hosts = [HostSpec(name: containerlabHost, line: top.line)]
        lab.networks = [NetworkSpec(name: containerlabNetwork, line: top.line)]
        guard let topology = try top.map("topology", section: "topology") else {
            throw .invalid(line: top.line, message: "a containerlab file needs 'topology'")
        }
        try topology.checkKeys(["nodes", "links"])
        var bridges: [String] = []
        if let nodes = try topology.map("nodes", section: "topology.nodes") {
            for pair in nodes.pairs {
                let map = try YAMLMap(pair.value, section: "node '\(pair.key)'")
                try map.checkKeys(["kind", "image", "exec", "cmd", "env"])
                switch try map.string("kind") ?? "linux" {
                case "linux":
                    let image = try map.required("image")
                    guard image == "busybox" || image == "bb" || image.hasPrefix("busybox:") else {
                        throw .invalid(
                            line: map.line("image"),
                            message: "node '\(pair.key)': image '\(image)' is not "
                                + "available to a containerlab file here (only busybox, built from busybox-static); "
                                + "use a Splice lab file with 'images:' to import a tar")
                    }
                    var node = NodeSpec(name: pair.key, host: containerlabHost, image: "busybox", line: pair.line)
                    node.networks = [NodeNetwork(network: containerlabNetwork, line: pair.line)]
                    node.exec = try map.strings("exec")
                    // containerlab's linux nodes configure their own interfaces in exec steps.
                    node.capAdd = ["NET_ADMIN"]
                    node.env = try map.strings("env")
                    if let cmd = try map.string("cmd") { node.cmd = cmd.split(separator: " ").map(String.init) }
                    if node.cmd.isEmpty { node.cmd = ["sleep", "1000000"] }
                    lab.nodes.append(node)
                case "bridge":
                    bridges.append(pair.key)
                case let other:
                    throw .invalid(
                        line: map.line("kind"),
                        message: "node '\(pair.key)': kind '\(other)' is not "
                            + "supported (linux and bridge are)")
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
                let map = try YAMLMap(item, section: "link")
                try map.checkKeys(["endpoints", "mtu"])
                var link = try parseLink(item)
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
}
