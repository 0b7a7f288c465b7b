import Foundation
import SystemKit

extension LabRunner {
    /// Removes what `changes` names, links first, then nodes, networks and hosts; each object leaves the state
    /// file once it is gone, so `down` still finds whatever an interrupted run left. What is recreated is made
    /// again by the `ensure` steps that follow.
    mutating func applyRemovals(_ changes: LabChanges) throws(LabError) {
        for change in changes.links {
            try removeLink(named: change.name)
            state.links.removeAll { $0.name == change.name }
            try state.save()
            removed += 1
        }
        // Reversed: a node sharing another's namespace goes before that node.
        for change in changes.nodes.reversed() {
            try removeNode(named: change.name)
            state.nodes.removeAll { $0.name == change.name }
            try state.save()
            removed += 1
        }
        for (network, host) in changes.networkHosts {
            try removeNetwork(named: network, from: [host], global: false)
            if let index = state.networks.firstIndex(where: { $0.name == network }) {
                state.networks[index].hosts.removeAll { $0 == host }
            }
            try state.save()
            removed += 1
        }
        for change in changes.networks {
            guard let record = state.networks.first(where: { $0.name == change.name }) else { continue }
            try removeNetwork(
                named: change.name, from: record.hosts,
                global: ["overlay", "routed"].contains(record.definition?["driver"] ?? ""))
            state.networks.removeAll { $0.name == change.name }
            try state.save()
            removed += 1
        }
        for change in changes.hosts {
            try removeHost(named: change.name)
            state.hosts.removeAll { $0.name == change.name }
            try state.save()
            removed += 1
        }
    }

    /// The spliced of host `name`, started again when a step or a killed `up` left it stopped; nil for a host
    /// without an engine or whose namespace is gone.
    mutating func liveEngine(_ name: String) throws(LabError) -> HostEngine? {
        guard let index = state.hosts.firstIndex(where: { $0.name == name }), state.hosts[index].engine,
            FileManager.default.fileExists(atPath: "/run/netns/\(state.hosts[index].namespace)")
        else { return nil }
        var engine = HostEngine(host: state.hosts[index])
        engine.adoptPidFile()
        engine.awaitAnswer()
        if !engine.isAlive {
            log("host \(name): starting spliced")
            engine.host.pid = try engine.start()
        }
        state.hosts[index].pid = engine.host.pid
        return engine
    }

    /// Deletes a link's veth (both ends go with one) and the loss chains on its ends.
    func removeLink(named name: String) throws(LabError) {
        let firstColon = name.firstIndex(of: ":") ?? name.startIndex
        guard let separator = name.range(of: "--", range: firstColon..<name.endIndex) else { return }
        let ends = [String(name[..<separator.lowerBound]), String(name[separator.upperBound...])]
        for end in ends {
            guard let colon = end.firstIndex(of: ":") else { continue }
            let owner = String(end[..<colon])
            let interface = String(end[end.index(after: colon)...])
            guard let path = Self.namespacePath(of: owner, in: state) else { continue }
            let chain = "in_" + interface.replacingOccurrences(of: "-", with: "_")
            _ = Shell.run(Shell.inNamespace(path, ["nft", "delete", "chain", "netdev", "splicelab", chain]))
            if try Self.hasLink(interface, in: path) {
                try Shell.checked(Shell.inNamespace(path, ["ip", "link", "delete", interface]))
            }
        }
    }

    /// Removes a node's container through its host's spliced.
    mutating func removeNode(named name: String) throws(LabError) {
        guard let node = state.node(name), let engine = try liveEngine(node.host) else { return }
        guard engine.inspect(name) != nil else { return }
        try engine.checked(["rm", "-f", name], step: "rm -f \(name)")
    }

    /// Removes a network from `hosts`: a bridge or macvlan network from each; a global (overlay or routed) network
    /// once, from the store through the first host that lists it, and then waits (ten seconds at most) until every
    /// other host has dropped it, so a network made again under the name is not confused with it.
    mutating func removeNetwork(named name: String, from hosts: [String], global: Bool) throws(LabError) {
        var engines: [HostEngine] = []
        for host in hosts { if let engine = try liveEngine(host) { engines.append(engine) } }
        for engine in engines where engine.splice(["network", "inspect", name]).status == 0 {
            try engine.checked(["network", "rm", name], step: "network rm \(name)")
            if global { break }
        }
        guard global else { return }
        for engine in engines {
            var listed = engine.splice(["network", "inspect", name]).status == 0
            for _ in 0..<500 where listed {
                usleep(20_000)
                listed = engine.splice(["network", "inspect", name]).status == 0
            }
            if listed {
                throw .engine(
                    host: engine.host.name, step: "removing global network \(name)", status: 1,
                    output: "still listed 10 s after it left the store")
            }
        }
    }

    /// Tears a host down: its containers, its spliced (SIGTERM by PID), its record in the cluster store (its lease
    /// revoked, so the other hosts forget it at once), mounts under its directory, its namespace and switch port,
    /// and its directory.
    mutating func removeHost(named name: String) throws(LabError) {
        guard let record = state.host(name) else { return }
        if let engine = try liveEngine(name) {
            let ids = engine.splice(["ps", "-aq"]).stdout.split(separator: "\n").map(String.init)
            if !ids.isEmpty { try engine.checked(["rm", "-f"] + ids, step: "rm -f every container") }
            let lease = try? engine.storeLease()
            engine.stop()
            if engine.isAlive {
                throw .engine(host: name, step: "stopping spliced", status: 1, output: "pid \(engine.host.pid) runs on")
            }
            if let lease = lease ?? nil, (try? engine.revokeLease(lease)) == nil {
                log("host \(name): its lease \(lease) could not be revoked; it expires by itself")
            }
        }
        let mounts = LabTeardown.mounts(under: record.directory)
        for mount in mounts.reversed() where umount2(mount, Int32(MNT_DETACH)) != 0 {
            throw .system(SystemError("umount2", errno: Errno(rawValue: errno), path: mount))
        }
        do {
            // The switch (or router) port first: a deleted namespace's links go only once the kernel has torn it
            // down.
            let portNamespace = state.routerNamespace ?? state.switchNamespace
            if let port = record.port, FileManager.default.fileExists(atPath: "/run/netns/\(portNamespace)") {
                let path = "/run/netns/\(portNamespace)"
                if try Self.hasLink(port, in: path) {
                    try Shell.checked(Shell.inNamespace(path, ["ip", "link", "delete", port]))
                }
            }
            if FileManager.default.fileExists(atPath: "/run/netns/\(record.namespace)") {
                try NetworkNamespace.delete(named: record.namespace)
            }
            if FileManager.default.fileExists(atPath: record.directory) {
                try FileManager.default.removeItem(atPath: record.directory)
            }
        } catch let error as LabError {
            throw error
        } catch let error as SystemError {
            throw .system(error)
        } catch {
            throw .state(path: record.directory, cause: error)
        }
    }
}
