import Foundation
import SystemKit
import Yams

extension LabFile {
    /// The keys the top level of a lab file allows.
    static let topKeys = ["name", "images", "hosts", "underlay", "store", "networks", "nodes", "links", "tests"]

    /// Reads, parses and validates the lab file at `path` (a Splice lab file or a containerlab `.clab.yml`).
    public static func load(path: String) throws(LabError) -> LabFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(
                path: path,
                cause: SystemError(
                    "open", errno: Errno(rawValue: errno),
                    path: path))
        }
        var lab = try parse(text, path: path)
        lab.directory = (path as NSString).deletingLastPathComponent
        if lab.directory.isEmpty { lab.directory = "." }
        try lab.validate()
        return lab
    }

    /// Parses `text` (without validating references); `path` names the file in errors.
    public static func parse(_ text: String, path: String = "<lab>") throws(LabError) -> LabFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .syntax(path: path, cause: error)
        } catch {
            throw .invalid(line: 0, message: "\(path): \(error)")
        }
        guard let root else { throw .invalid(line: 0, message: "\(path) is empty") }
        let top = try YAMLMap(root, section: "the top level")
        if top.value("topology") != nil || path.hasSuffix(".clab.yml") || path.hasSuffix(".clab.yaml") {
            return try containerlab(top)
        }
        try top.checkKeys(topKeys)
        var lab = LabFile(name: try top.required("name"))
        if let images = try top.map("images", section: "images") {
            for pair in images.pairs {
                guard pair.value.scalar != nil, let source = pair.value.string else {
                    throw .invalid(line: pair.line, message: "image '\(pair.key)': give 'busybox' or a tar file path")
                }
                lab.images.append(
                    ImageSpec(
                        name: pair.key, source: source == "busybox" ? .busybox : .tar(path: source),
                        line: pair.line))
            }
        }
        if let hosts = try top.map("hosts", section: "hosts") {
            for pair in hosts.pairs { lab.hosts.append(try parseHost(pair.key, pair.value, line: pair.line)) }
        }
        if let underlay = try top.map("underlay", section: "underlay") {
            try underlay.checkKeys(["kind", "subnet", "mtu"])
            lab.underlay.line = underlay.line
            lab.underlay.kind = try underlay.string("kind") ?? "switch"
            lab.underlay.subnet = try network(underlay, "subnet")
            lab.underlay.mtu = try underlay.int("mtu").map { UInt32(clamping: $0) }
        }
        if let store = try top.map("store", section: "store") {
            try store.checkKeys(["kind", "members", "lease-ttl"])
            lab.store = StoreSpec(
                kind: try store.string("kind") ?? "etcd", members: try store.int("members") ?? 1,
                leaseTTL: try store.int("lease-ttl"), line: store.line)
        }
        if let networks = try top.map("networks", section: "networks") {
            for pair in networks.pairs {
                var spec = NetworkSpec(name: pair.key, line: pair.line)
                if pair.value.null == nil {
                    let map = try YAMLMap(pair.value, section: "network '\(pair.key)'")
                    try map.checkKeys(["driver", "subnet", "mtu", "internal", "parent", "host-prefix"])
                    spec.driver = try map.string("driver") ?? "bridge"
                    spec.subnet = try network(map, "subnet")
                    spec.mtu = try map.int("mtu").map { UInt32(clamping: $0) }
                    spec.isInternal = try map.bool("internal") ?? false
                    spec.parent = try map.string("parent")
                    spec.hostPrefix = try map.int("host-prefix")
                }
                lab.networks.append(spec)
            }
        }
        if let nodes = try top.map("nodes", section: "nodes") {
            for pair in nodes.pairs { lab.nodes.append(try parseNode(pair.key, pair.value, line: pair.line, lab: lab)) }
        }
        if let links = top.value("links") {
            guard let sequence = links.sequence else {
                throw .invalid(line: top.line("links"), message: "links must be a list")
            }
            for item in sequence { lab.links.append(try parseLink(item)) }
        }
        if let tests = top.value("tests") {
            guard let sequence = tests.sequence else {
                throw .invalid(line: top.line("tests"), message: "tests must be a list")
            }
            for item in sequence { lab.tests.append(try parseCheck(item)) }
        }
        return lab
    }

    /// An `ADDR/LEN` value.
    static func network(_ map: YAMLMap, _ key: String) throws(LabError) -> IPNetwork? {
        guard let text = try map.string(key) else { return nil }
        guard let network = IPNetwork(text) else {
            throw .invalid(
                line: map.line(key), message: "\(map.section): '\(key)' must be ADDRESS/LENGTH, not '\(text)'")
        }
        return network
    }

    static func parseHost(_ name: String, _ node: Node, line: Int) throws(LabError) -> HostSpec {
        var host = HostSpec(name: name, line: line)
        if node.null != nil { return host }
        let map = try YAMLMap(node, section: "host '\(name)'")
        try map.checkKeys(["engine", "uplink-ip", "bridges", "exec", "cluster-store"])
        switch try map.string("engine") ?? "spliced" {
        case "spliced": host.engine = true
        case "none": host.engine = false
        case let other:
            throw .invalid(
                line: map.line("engine"), message: "host '\(name)': engine must be spliced or none, not '\(other)'")
        }
        host.uplinkAddress = try network(map, "uplink-ip")
        host.bridges = try map.strings("bridges")
        host.exec = try map.strings("exec")
        host.clusterStore = try map.string("cluster-store")
        return host
    }

    static func parseNode(_ name: String, _ node: Node, line: Int, lab: LabFile) throws(LabError) -> NodeSpec {
        let map = try YAMLMap(node, section: "node '\(name)'")
        try map.checkKeys([
            "host", "image", "cmd", "networks", "network-mode", "ports", "env", "exec", "wait-for",
            "cap-add",
        ])
        let defaultHost = lab.hosts.count == 1 ? lab.hosts[0].name : ""
        var spec = NodeSpec(
            name: name, host: try map.string("host") ?? defaultHost, image: try map.required("image"),
            line: line)
        if let cmd = map.value("cmd") {
            if cmd.sequence != nil {
                spec.cmd = try YAMLMap.strings(cmd, what: "node '\(name)': 'cmd'")
            } else {
                spec.cmd = (try map.required("cmd")).split(separator: " ").map(String.init)
            }
        }
        spec.networkMode = try map.string("network-mode")
        if let networks = map.value("networks") {
            if networks.mapping != nil {
                let networkMap = try YAMLMap(networks, section: "node '\(name)' networks")
                for pair in networkMap.pairs {
                    var attachment = NodeNetwork(network: pair.key, line: pair.line)
                    if pair.value.null == nil {
                        let options = try YAMLMap(pair.value, section: "node '\(name)' network '\(pair.key)'")
                        try options.checkKeys(["ip", "aliases"])
                        if let text = try options.string("ip") {
                            guard let address = IPAddress(text) else {
                                throw .invalid(
                                    line: options.line("ip"), message: "node '\(name)': '\(text)' is not an IP address")
                            }
                            attachment.address = address
                        }
                        attachment.aliases = try options.strings("aliases")
                    }
                    spec.networks.append(attachment)
                }
            } else {
                for network in try map.strings("networks") {
                    spec.networks.append(NodeNetwork(network: network, line: map.line("networks")))
                }
            }
        }
        spec.ports = try map.strings("ports")
        if let env = map.value("env") {
            if env.mapping != nil {
                for pair in try YAMLMap(env, section: "node '\(name)' env").pairs {
                    spec.env.append("\(pair.key)=\(pair.value.string ?? "")")
                }
            } else {
                spec.env = try map.strings("env")
            }
        }
        spec.exec = try map.strings("exec")
        spec.waitFor = try map.strings("wait-for")
        spec.capAdd = try map.strings("cap-add")
        return spec
    }

    static func parseEndpoint(_ text: String, line: Int) throws(LabError) -> LinkEndpoint {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .invalid(line: line, message: "link endpoint '\(text)' must be NODE:INTERFACE or HOST:INTERFACE")
        }
        return LinkEndpoint(owner: parts[0], interface: parts[1])
    }

    static func parseLink(_ node: Node) throws(LabError) -> LinkSpec {
        let map = try YAMLMap(node, section: "link")
        try map.checkKeys(["endpoints", "mtu", "addresses", "bridge", "rate", "loss", "delay", "jitter"])
        let endpoints = try map.strings("endpoints")
        guard endpoints.count == 2 else {
            throw .invalid(line: map.line("endpoints"), message: "a link needs two endpoints, not \(endpoints.count)")
        }
        var link = LinkSpec(endpoints: [], line: map.line)
        for text in endpoints { link.endpoints.append(try parseEndpoint(text, line: map.line("endpoints"))) }
        for text in try map.strings("mtu") {
            guard let mtu = UInt32(text), mtu >= 68 else {
                throw .invalid(line: map.line("mtu"), message: "link mtu must be a number from 68, not '\(text)'")
            }
            link.mtu.append(mtu)
        }
        for text in try map.strings("addresses") {
            guard let address = IPNetwork(text) else {
                throw .invalid(line: map.line("addresses"), message: "link address '\(text)' must be ADDRESS/LENGTH")
            }
            link.addresses.append(address)
        }
        link.bridge = try map.string("bridge")
        link.rate = try map.string("rate")
        link.loss = try map.int("loss")
        link.delay = try map.string("delay")
        link.jitter = try map.string("jitter")
        return link
    }
}
