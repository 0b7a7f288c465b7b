extension LabFile {
    /// What a lab's object is made from, field by field, as `up` records it in the state file: a second `up`
    /// compares these with the edited file's and recreates what differs.
    typealias Definition = [String: String]

    /// The lab-wide settings `up` does not change on a running lab: the underlay and the store.
    var labDefinition: Definition {
        [
            "underlay": underlay.kind,
            "underlay subnet": underlay.subnet?.description ?? "",
            "underlay mtu": underlay.mtu.map(String.init) ?? "",
            "store": store.map { "\($0.kind) x\($0.members)" } ?? "none",
        ]
    }

    /// A host's namespace, uplink, bridges, exec steps and the flags its spliced runs with.
    func definition(of host: HostSpec) -> Definition {
        [
            "engine": host.engine ? "spliced" : "none",
            "uplink-ip": host.uplinkAddress?.description ?? "",
            "bridges": host.bridges.joined(separator: " "),
            "exec": host.exec.joined(separator: "; "),
            "cluster-store": host.clusterStore ?? "none",
            "lease-ttl": host.clusterStore == nil ? "" : store?.leaseTTL.map(String.init) ?? "",
        ]
    }

    /// A network's driver, subnet, MTU and whether it is internal; a routed network's per-host size, a macvlan
    /// network's parent, gateway and per-host ranges.
    func definition(of network: NetworkSpec) -> Definition {
        [
            "driver": network.driver,
            "subnet": network.subnet?.description ?? "",
            "mtu": network.mtu.map(String.init) ?? "",
            "internal": network.isInternal ? "true" : "false",
            "host-prefix": network.hostPrefix.map(String.init) ?? "",
            "parent": network.driver == "macvlan" ? network.parent ?? "eth0" : "",
            "gateway": network.gateway?.description ?? "",
            "ranges": network.ranges.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: " "),
        ]
    }

    /// Everything a node's container is created with, and its exec steps.
    func definition(of node: NodeSpec) -> Definition {
        let networks = node.networks.map { attachment in
            [attachment.network] + (attachment.address.map { ["ip \($0)"] } ?? [])
                + (attachment.aliases.isEmpty ? [] : ["aliases " + attachment.aliases.joined(separator: ",")])
        }
        return [
            "host": node.host,
            "image": node.image,
            "cmd": node.cmd.joined(separator: " "),
            "networks": networks.map { $0.joined(separator: " ") }.joined(separator: ", "),
            "network-mode": node.networkMode ?? "",
            "ports": node.ports.joined(separator: " "),
            "env": node.env.joined(separator: " "),
            "cap-add": node.capAdd.joined(separator: " "),
            "exec": node.exec.joined(separator: "; "),
        ]
    }

    /// A link's impairments, addresses and bridge (its endpoints are its name).
    func definition(of link: LinkSpec) -> Definition {
        [
            "mtu": link.mtu.map(String.init).joined(separator: "/"),
            "addresses": link.addresses.map(\.description).joined(separator: " "),
            "bridge": link.bridge ?? "",
            "rate": link.rate ?? "",
            "loss": link.loss.map(String.init) ?? "",
        ]
    }

    /// The fields that differ between a recorded definition and the file's, as `field old -> new`.
    static func differences(_ old: Definition, _ new: Definition) -> [String] {
        Set(old.keys).union(new.keys).sorted().compactMap { key in
            let before = old[key] ?? ""
            let after = new[key] ?? ""
            guard before != after else { return nil }
            return "\(key) \(before.isEmpty ? "(none)" : before) -> \(after.isEmpty ? "(none)" : after)"
        }
    }
}
