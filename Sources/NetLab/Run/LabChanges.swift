/// What a second `up` changes in a running lab: the edited file compared with the definitions the state file
/// recorded. Objects removed from the file are removed, objects whose definition differs are removed and made
/// again, and what depends on a recreated object is recreated with it (a node on a recreated host or network,
/// a node sharing a recreated node's namespace, a link to a recreated node or host). Unchanged objects are not
/// touched; objects recorded without a definition (older state files) count as unchanged.
struct LabChanges {
    /// One object to remove (or remove and make again), and why.
    struct Change: Equatable {
        /// The object's name.
        var name: String
        /// Why it goes: the fields that changed, or what it depends on; empty when it left the file.
        var reason: String
        /// Whether `up` makes it again from the file.
        var recreate: Bool
    }

    /// Hosts to tear down (namespace, spliced, everything on them).
    var hosts: [Change] = []
    /// Networks to remove from every host.
    var networks: [Change] = []
    /// Bridge networks to remove from single hosts that no longer have a node on them: (network, host).
    var networkHosts: [(network: String, host: String)] = []
    /// Containers to remove.
    var nodes: [Change] = []
    /// Links to remove.
    var links: [Change] = []
    /// Names of what the file adds: `host h3`, `node web`, ...
    var added: [String] = []

    /// Whether nothing is removed or recreated.
    var removesNothing: Bool {
        hosts.isEmpty && networks.isEmpty && networkHosts.isEmpty && nodes.isEmpty && links.isEmpty
    }

    /// Compares `lab` (validated) with `state` (the running lab). Throws, before anything is changed, when the
    /// file changes what a running lab cannot change: its underlay or its store.
    init(state: LabState, lab: LabFile) throws(LabError) {
        if let recorded = state.definition {
            let changed = LabFile.differences(recorded, lab.labDefinition)
            if !changed.isEmpty {
                throw .invalid(
                    line: 0,
                    message: "lab \(lab.name) is up with another underlay or store ("
                        + changed.joined(separator: ", ")
                        + "); 'splice lab up' does not change those on a running lab: 'splice lab down --name "
                        + "\(lab.name)' first")
            }
        }
        for host in state.hosts {
            guard let spec = lab.host(host.name) else {
                hosts.append(Change(name: host.name, reason: "", recreate: false))
                continue
            }
            let changed = host.definition.map { LabFile.differences($0, lab.definition(of: spec)) } ?? []
            if !changed.isEmpty {
                hosts.append(Change(name: host.name, reason: changed.joined(separator: ", "), recreate: true))
            }
        }
        let goneHosts = Set(hosts.map(\.name))
        for network in state.networks {
            guard let spec = lab.network(network.name) else {
                networks.append(Change(name: network.name, reason: "", recreate: false))
                continue
            }
            let changed = network.definition.map { LabFile.differences($0, lab.definition(of: spec)) } ?? []
            if !changed.isEmpty {
                networks.append(Change(name: network.name, reason: changed.joined(separator: ", "), recreate: true))
            }
        }
        let goneNetworks = Set(networks.map(\.name))
        for node in state.nodes {
            guard let spec = lab.node(node.name) else {
                nodes.append(Change(name: node.name, reason: "", recreate: false))
                continue
            }
            let changed = node.definition.map { LabFile.differences($0, lab.definition(of: spec)) } ?? []
            if !changed.isEmpty {
                nodes.append(Change(name: node.name, reason: changed.joined(separator: ", "), recreate: true))
            } else if goneHosts.contains(node.host) {
                nodes.append(Change(name: node.name, reason: "host \(node.host) is recreated", recreate: true))
            } else if let network = spec.networks.map(\.network).first(where: goneNetworks.contains) {
                nodes.append(Change(name: node.name, reason: "network \(network) is recreated", recreate: true))
            }
        }
        // A node sharing the namespace of a node that goes is recreated with it (repeated: chains of them).
        var changedSharer = true
        while changedSharer {
            changedSharer = false
            let goneNodes = Set(nodes.map(\.name))
            for spec in lab.nodes where !goneNodes.contains(spec.name) && state.node(spec.name) != nil {
                guard let mode = spec.networkMode, mode.hasPrefix("container:") else { continue }
                let target = String(mode.dropFirst("container:".count))
                guard goneNodes.contains(target) else { continue }
                nodes.append(Change(name: spec.name, reason: "it shares \(target)'s namespace", recreate: true))
                changedSharer = true
            }
        }
        let goneNodes = Set(nodes.map(\.name))
        for link in state.links {
            guard let spec = lab.link(named: link.name), spec.name == link.name else {
                links.append(Change(name: link.name, reason: "", recreate: false))
                continue
            }
            let changed = link.definition.map { LabFile.differences($0, lab.definition(of: spec)) } ?? []
            if !changed.isEmpty {
                links.append(Change(name: link.name, reason: changed.joined(separator: ", "), recreate: true))
            } else if let owner = spec.endpoints.map(\.owner).first(where: {
                goneNodes.contains($0) || goneHosts.contains($0)
            }) {
                links.append(Change(name: link.name, reason: "\(owner) is recreated", recreate: true))
            }
        }
        // A bridge or macvlan network leaves a host that keeps running but no longer has a node on it.
        for network in state.networks where !goneNetworks.contains(network.name) {
            guard let spec = lab.network(network.name), !spec.isGlobal else { continue }
            let needed = Set(lab.nodes.filter { $0.networks.contains { $0.network == network.name } }.map(\.host))
            for host in network.hosts where !needed.contains(host) && !goneHosts.contains(host) {
                networkHosts.append((network.name, host))
            }
        }
        added += lab.hosts.filter { state.host($0.name) == nil }.map { "host \($0.name)" }
        added += lab.networks.filter { spec in !state.networks.contains { $0.name == spec.name } }
            .map { "network \($0.name)" }
        added += lab.nodes.filter { state.node($0.name) == nil }.map { "node \($0.name)" }
        added += lab.links.filter { spec in !state.links.contains { $0.name == spec.name } }.map { "link \($0.name)" }
    }

    /// One line per object: what goes, what is made again (and why), what is added.
    var lines: [String] {
        var lines: [String] = []
        for (kind, changes) in [("link", links), ("node", nodes), ("network", networks), ("host", hosts)] {
            for change in changes {
                if change.recreate {
                    lines.append("recreate \(kind) \(change.name): \(change.reason)")
                } else {
                    lines.append("remove \(kind) \(change.name) (not in the file)")
                }
            }
        }
        lines += networkHosts.map { "remove network \($0.network) from host \($0.host) (no node there uses it)" }
        lines += added.map { "add \($0)" }
        return lines
    }
}
