/// The lab as a picture: hosts as clusters holding their nodes, networks, the underlay switch, and links with
/// their impairments; in Graphviz DOT or Mermaid.
public struct LabGraph {
    /// The lab file.
    public let lab: LabFile
    /// Addresses from a lab that is up (node name to network to address), when known.
    public let addresses: [String: [String: String]]

    /// A graph of `lab`, labelled with `addresses` where given.
    public init(lab: LabFile, addresses: [String: [String: String]] = [:]) {
        self.lab = lab
        self.addresses = addresses
    }

    static func id(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// The underlay's label: the switch and its subnet, or the router of routed segments.
    var underlayLabel: String {
        let subnet = lab.underlay.subnet?.description ?? ""
        return lab.isRoutedUnderlay ? "router: routed underlay \(subnet)" : "underlay \(subnet)"
    }

    /// A network's name and, beyond bridge networks, its driver (a macvlan network's parent too), then its subnet
    /// (and a macvlan network's range on `host`), separated by `separator`.
    func networkLabel(_ network: NetworkSpec, host: String, separator: String) -> String {
        var name = network.name
        if network.driver == "macvlan" {
            name += " (macvlan on \(network.parent ?? "eth0"))"
        } else if network.driver != "bridge" {
            name += " (\(network.driver))"
        }
        let subnet = network.subnet?.description ?? ""
        guard let range = network.ranges[host] else { return name + separator + subnet }
        return name + separator + subnet + " range " + range.description
    }

    /// Whether `network` hangs off the host's uplink (a macvlan network on `eth0`): drawn joined to the underlay.
    static func isOnUplink(_ network: NetworkSpec) -> Bool {
        network.driver == "macvlan" && (network.parent ?? "eth0") == "eth0"
    }

    func edgeLabel(_ node: NodeSpec, _ attachment: NodeNetwork) -> String {
        addresses[node.name]?[attachment.network] ?? attachment.address?.description ?? ""
    }

    /// Graphviz DOT.
    public func dot() -> String {
        var out = "graph \"\(lab.name)\" {\n  compound=true; node [fontname=\"Helvetica\"];"
            + " edge [fontname=\"Helvetica\", fontsize=10];\n"
        out += "  underlay [shape=box3d, label=\"\(underlayLabel)\"];\n"
        for (index, address) in (lab.store?.addresses ?? []).enumerated() {
            let name = StoreSpec.memberName(index)
            out += "  store_\(name) [shape=cylinder, label=\"\(name)\\n\(address)\"];\n"
            out += "  store_\(name) -- underlay;\n"
        }
        for host in lab.hosts {
            let hostID = Self.id(host.name)
            let uplink = host.uplinkAddress?.description ?? ""
            out += "  subgraph cluster_\(hostID) {\n    label=\"\(host.name)\(host.engine ? "" : " (no engine)")\";\n"
            out += "    host_\(hostID) [shape=box, label=\"\(host.name)\\n\(uplink)\"];\n"
            for network in lab.networks
            where lab.nodes.contains(where: { node in
                node.host == host.name && node.networks.contains { $0.network == network.name }
            }) {
                out += "    net_\(hostID)_\(Self.id(network.name)) [shape=ellipse, "
                    + "label=\"\(networkLabel(network, host: host.name, separator: "\\n"))\"];\n"
            }
            for bridge in host.bridges {
                out += "    br_\(hostID)_\(Self.id(bridge)) [shape=ellipse, style=dashed, label=\"\(bridge)\"];\n"
            }
            for node in lab.nodes where node.host == host.name {
                out += "    node_\(Self.id(node.name)) [shape=component, label=\"\(node.name)\\n\(node.image)\"];\n"
            }
            out += "  }\n"
            let segment = lab.isRoutedUnderlay ? " " + uplink : ""
            out += "  host_\(Self.id(host.name)) -- underlay [label=\"eth0\(segment)\"];\n"
            for network in lab.networks where Self.isOnUplink(network) && network.ranges[host.name] != nil {
                out += "  net_\(hostID)_\(Self.id(network.name)) -- underlay [style=dashed, label=\"parent eth0\"];\n"
            }
        }
        for node in lab.nodes {
            for attachment in node.networks {
                let network = "net_\(Self.id(node.host))_\(Self.id(attachment.network))"
                out += "  node_\(Self.id(node.name)) -- \(network) [label=\"\(edgeLabel(node, attachment))\"];\n"
            }
            if let mode = node.networkMode, mode.hasPrefix("container:") {
                let shared = "node_\(Self.id(String(mode.dropFirst(10))))"
                out += "  node_\(Self.id(node.name)) -- \(shared) [style=dotted, label=\"shares netns\"];\n"
            }
        }
        for link in lab.links {
            let ends = link.endpoints.map { endpoint -> String in
                if lab.host(endpoint.owner) != nil {
                    if let bridge = link.bridge { return "br_\(Self.id(endpoint.owner))_\(Self.id(bridge))" }
                    return "host_\(Self.id(endpoint.owner))"
                }
                return "node_\(Self.id(endpoint.owner))"
            }
            let label = ([link.endpoints.map(\.interface).joined(separator: " - ")] + [LabRunner.impairments(link)])
                .filter { !$0.isEmpty }.joined(separator: "\\n")
            out += "  \(ends[0]) -- \(ends[1]) [color=blue, label=\"\(label)\"];\n"
        }
        return out + "}\n"
    }

    /// A Mermaid flowchart.
    public func mermaid() -> String {
        var out = "flowchart LR\n  underlay[[\"\(underlayLabel)\"]]\n"
        for (index, address) in (lab.store?.addresses ?? []).enumerated() {
            let name = StoreSpec.memberName(index)
            out += "  store_\(name)[(\"\(name) \(address)\")] --- underlay\n"
        }
        for host in lab.hosts {
            out += "  subgraph \(Self.id(host.name))[\"\(host.name) \(host.uplinkAddress?.description ?? "")\"]\n"
            out += "    host_\(Self.id(host.name))[\"\(host.name)\"]\n"
            for network in lab.networks
            where lab.nodes.contains(where: { node in
                node.host == host.name && node.networks.contains { $0.network == network.name }
            }) {
                out += "    net_\(Self.id(host.name))_\(Self.id(network.name))"
                    + "([\"\(networkLabel(network, host: host.name, separator: " "))\"])\n"
            }
            for bridge in host.bridges { out += "    br_\(Self.id(host.name))_\(Self.id(bridge))([\"\(bridge)\"])\n" }
            for node in lab.nodes where node.host == host.name {
                out += "    node_\(Self.id(node.name))[\"\(node.name)\"]\n"
            }
            let segment = lab.isRoutedUnderlay ? "|eth0 \(host.uplinkAddress?.description ?? "")| " : " "
            out += "  end\n  host_\(Self.id(host.name)) ---\(segment)underlay\n"
            for network in lab.networks where Self.isOnUplink(network) && network.ranges[host.name] != nil {
                out += "  net_\(Self.id(host.name))_\(Self.id(network.name)) -.-|parent eth0| underlay\n"
            }
        }
        for node in lab.nodes {
            for attachment in node.networks {
                let label = edgeLabel(node, attachment)
                out +=
                    "  node_\(Self.id(node.name)) ---" + (label.isEmpty ? " " : "|\(label)| ")
                    + "net_\(Self.id(node.host))_\(Self.id(attachment.network))\n"
            }
            if let mode = node.networkMode, mode.hasPrefix("container:") {
                out += "  node_\(Self.id(node.name)) -.-|shares netns| node_\(Self.id(String(mode.dropFirst(10))))\n"
            }
        }
        for link in lab.links {
            let ends = link.endpoints.map { endpoint -> String in
                if lab.host(endpoint.owner) != nil {
                    if let bridge = link.bridge { return "br_\(Self.id(endpoint.owner))_\(Self.id(bridge))" }
                    return "host_\(Self.id(endpoint.owner))"
                }
                return "node_\(Self.id(endpoint.owner))"
            }
            let label = ([link.endpoints.map(\.interface).joined(separator: "-")] + [LabRunner.impairments(link)])
                .filter { !$0.isEmpty }.joined(separator: " ")
            out += "  \(ends[0]) ===|\(label)| \(ends[1])\n"
        }
        return out
    }
}
