import Foundation
import NetlinkKit
import SystemKit

extension LabRunner {
    /// The network namespace path of a node or host in a lab that is up, or nil when the node does not run.
    static func namespacePath(of owner: String, in state: LabState) -> String? {
        if let host = state.host(owner) { return "/run/netns/\(host.namespace)" }
        if owner == "underlay" { return "/run/netns/\(state.routerNamespace ?? state.switchNamespace)" }
        guard let node = state.node(owner), let host = state.host(node.host) else { return nil }
        let engine = HostEngine(host: host)
        if engine.isAlive, let pid = engine.pid(of: owner) { return "/proc/\(pid)/ns/net" }
        // The host's spliced is down (a kill step): the container runs on under splice-init.
        guard node.pid > 0, kill(node.pid, 0) == 0 else { return nil }
        return "/proc/\(node.pid)/ns/net"
    }

    /// What a link's impairments read as in inspect and graphs.
    static func impairments(_ link: LinkSpec) -> String {
        var parts: [String] = []
        if !link.mtu.isEmpty { parts.append("mtu " + link.mtu.map(String.init).joined(separator: "/")) }
        if let rate = link.rate { parts.append("rate \(rate)") }
        if let loss = link.loss { parts.append("loss \(loss)%") }
        return parts.joined(separator: ", ")
    }

    mutating func ensureLinks() throws(LabError) {
        for link in lab.links {
            if let index = state.links.firstIndex(where: { $0.name == link.name }) {
                state.links[index].definition = lab.definition(of: link)
            } else {
                state.links.append(
                    LabState.Link(
                        name: link.name, impairments: Self.impairments(link), definition: lab.definition(of: link)))
                try state.save()
            }
            var paths: [String] = []
            for endpoint in link.endpoints {
                guard let path = Self.namespacePath(of: endpoint.owner, in: state) else {
                    throw .engine(
                        host: endpoint.owner, step: "link \(link.name)", status: 1,
                        output: "node \(endpoint.owner) is not running")
                }
                paths.append(path)
            }
            if try Self.hasLink(link.endpoints[0].interface, in: paths[0]) { continue }
            try createLink(link, paths: paths)
            created += 1
        }
        try state.save()
    }

    /// Whether the namespace at `path` has an interface named `name`.
    static func hasLink(_ name: String, in path: String) throws(LabError) -> Bool {
        do {
            return try NetlinkSocket.open(in: NetworkNamespace.open(path: path)).link(named: name) != nil
        } catch let error as SystemError {
            throw .system(error)
        } catch let error as NetlinkError {
            throw .netlink(error)
        } catch {
            throw .state(path: path, cause: error)
        }
    }

    func createLink(_ link: LinkSpec, paths: [String]) throws(LabError) {
        do {
            let first = try NetworkNamespace.open(path: paths[0])
            let second = try NetworkNamespace.open(path: paths[1])
            let mtus = link.mtu.count == 1 ? [link.mtu[0], link.mtu[0]] : link.mtu
            let sock = try NetlinkSocket.open(in: first)
            try sock.addLink(
                NetlinkKit.LinkSpec(
                    name: link.endpoints[0].interface,
                    kind: .veth(peer: VethPeer(name: link.endpoints[1].interface, namespace: second, mtu: mtus.last)),
                    mtu: mtus.first))
            for (index, namespace) in [first, second].enumerated() {
                let end = try NetlinkSocket.open(in: namespace)
                let name = link.endpoints[index].interface
                guard let device = try end.link(named: name) else { continue }
                if let bridge = link.bridge, lab.host(link.endpoints[index].owner) != nil,
                    let master = try end.link(named: bridge)
                {
                    try end.setLink(device.index, LinkChange(master: .some(master.index)), name: name)
                }
                if index < link.addresses.count {
                    try end.addAddress(link.addresses[index], to: device.index, name: name)
                }
                try end.setLink(device.index, LinkChange(up: true), name: name)
            }
        } catch let error as SystemError {
            throw .system(error)
        } catch let error as NetlinkError {
            throw .netlink(error)
        } catch {
            throw .state(path: link.name, cause: error)
        }
        for (index, path) in paths.enumerated() {
            let interface = link.endpoints[index].interface
            if let rate = link.rate {
                try Shell.checked(
                    Shell.inNamespace(
                        path,
                        [
                            "tc", "qdisc", "replace", "dev", interface, "root", "tbf",
                            "rate", rate, "burst", "32kbit", "latency", "400ms",
                        ]))
            }
            if let loss = link.loss, loss > 0 {
                // Each end drops its share of what it receives, so both directions lose `loss` percent.
                let chain = "in_" + interface.replacingOccurrences(of: "-", with: "_")
                let rules = """
                    table netdev splicelab {
                        chain \(chain) {
                            type filter hook ingress device "\(interface)" priority 0; policy accept;
                            \(loss >= 100 ? "drop" : "numgen random mod 100 < \(loss) drop")
                        }
                    }
                    """
                try Shell.checked(Shell.inNamespace(path, ["nft", "-f", "-"]), input: rules)
            }
        }
    }

    /// Sets both ends of a link down or up (a link step).
    static func setLink(_ link: LinkSpec, up: Bool, in state: LabState) throws(LabError) {
        for endpoint in link.endpoints {
            guard let path = namespacePath(of: endpoint.owner, in: state) else { continue }
            try Shell.checked(Shell.inNamespace(path, ["ip", "link", "set", endpoint.interface, up ? "up" : "down"]))
        }
    }
}
