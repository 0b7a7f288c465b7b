import Foundation

/// `splice lab inspect`'s tables: hosts, nodes, networks (with each host's part of a routed network and each
/// host's range of a macvlan network) and links of a lab that is up.
enum LabTable {
    /// Left-aligned columns separated by three spaces, as docker's tables.
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "   ")
        }.joined(separator: "\n") + "\n"
    }

    /// Every table of `state`.
    static func inspect(_ state: LabState) -> String {
        var out = "LAB \(state.name)   file \(state.file)   "
            + (state.routerNamespace.map { "router \($0) \(state.switchAddress)\n\n" }
                ?? "switch \(state.switchNamespace) \(state.switchAddress)\n\n")
        out += render(
            [["HOST", "NAMESPACE", "UPLINK", "ENGINE", "PID"]]
                + state.hosts.map { host in
                    [
                        host.name, host.namespace, host.uplink,
                        host.engine
                            ? (HostEngine(host: host).isAlive ? "spliced" : "spliced (down)")
                            : "none", host.pid > 0 ? "\(host.pid)" : "-",
                    ]
                })
        if let store = state.store, !store.isEmpty {
            out +=
                "\n"
                + render(
                    [["STORE", "NAMESPACE", "CLIENT URL", "ETCD", "PID"]]
                        + store.indices.map { index in
                            let process = LabRunner.storeProcess(index, in: state)
                            return [
                                process.member.name, process.member.namespace, process.member.clientURL,
                                process.isAlive ? "running" : "stopped",
                                process.member.pid > 0 ? "\(process.member.pid)" : "-",
                            ]
                        })
        }
        if !state.nodes.isEmpty {
            out +=
                "\n"
                + render(
                    [["NODE", "HOST", "IMAGE", "ADDRESSES"]]
                        + state.nodes.map { node in
                            [
                                node.name, node.host, node.image,
                                node.addresses.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                                    separator: " "),
                            ]
                        })
        }
        if !state.networks.isEmpty {
            out +=
                "\n"
                + render(
                    [["NETWORK", "DRIVER", "SUBNET", "HOSTS"]]
                        + state.networks.map { network in
                            [
                                network.name, network.definition?["driver"] ?? "bridge", network.subnet,
                                network.hosts.map { host in
                                    network.parts?[host].map { "\(host) \($0)" } ?? host
                                }.joined(separator: ", "),
                            ]
                        })
        }
        if !state.links.isEmpty {
            out +=
                "\n"
                + render(
                    [["LINK", "IMPAIRMENTS"]]
                        + state.links.map { [$0.name, $0.impairments.isEmpty ? "-" : $0.impairments] })
        }
        return out
    }
}
