import Foundation
import NetlinkKit
import SystemKit

extension LabRunner {
    /// Every etcd member: its namespace plugged into the underlay switch (port `eN`, address from the pool), and
    /// etcd started there unless it runs; the members are in the state file before anything is made.
    mutating func ensureStore() throws(LabError) {
        guard let members = state.store, !members.isEmpty else { return }
        do {
            let switchNS = try namespace(state.switchNamespace)
            let sock = try NetlinkSocket.open(in: switchNS)
            guard let bridge = try sock.link(named: "sw0") else { return }
            for (index, member) in members.enumerated() {
                if let (memberSock, eth0) = try plug(member.namespace, into: sock, bridge: bridge.index,
                                                     port: "e\(index + 1)", address: IPNetwork(member.address))
                {
                    // On a routed underlay the hosts are on other segments, behind the router.
                    if lab.isRoutedUnderlay, let router = lab.switchAddress?.address {
                        try memberSock.addRoute(RouteSpec(gateway: router, device: eth0))
                    }
                    created += 1
                }
            }
        } catch let error as NetlinkError {
            throw .netlink(error)
        } catch let error as LabError {
            throw error
        } catch {
            throw .state(path: state.switchNamespace, cause: error)
        }
        var launched: [Int] = []
        for index in members.indices {
            var process = storeProcess(index)
            process.adoptPidFile()
            state.store?[index].pid = process.member.pid
            if process.isAlive { continue }
            log("store \(members[index].name): starting etcd at \(members[index].clientURL)")
            try process.launch()
            launched.append(index)
        }
        for index in launched {
            let pid = try storeProcess(index).awaitHealthy()
            state.store?[index].pid = pid
            try state.save()
            created += 1
        }
    }

    /// The etcd process of member `index` of the state's store.
    func storeProcess(_ index: Int) -> StoreProcess {
        Self.storeProcess(index, in: state)
    }

    /// The etcd process of member `index` of `state`'s store.
    static func storeProcess(_ index: Int, in state: LabState) -> StoreProcess {
        let members = state.store ?? []
        return StoreProcess(
            member: members[index], cluster: members.map { ($0.name, $0.peerURL) }, token: "splice-lab-\(state.name)")
    }
}

extension LabRunner {
    /// A global network (overlay or routed) is created once, through the daemon of the first of its hosts; the
    /// others learn it from the store, and `up` waits (ten seconds at most) until each of them lists it (for a
    /// routed network: once the host has leased its part of the subnet, which the state records).
    mutating func ensureGlobal(_ network: NetworkSpec, subnet: IPNetwork, hosts: [String]) throws(LabError) {
        guard let first = hosts.first, let creator = state.host(first) else { return }
        let engine = HostEngine(host: creator)
        let driver = network.driver
        if engine.splice(["network", "inspect", network.name]).status != 0 {
            var arguments = ["network", "create", "-d", driver, "--subnet", subnet.description]
            if network.isInternal { arguments.append("--internal") }
            if let mtu = network.mtu { arguments += ["-o", "com.docker.network.driver.mtu=\(mtu)"] }
            if let prefix = network.hostPrefix { arguments += ["-o", "splice.routed.host_prefix=\(prefix)"] }
            try engine.checked(arguments + [network.name], step: "network create -d \(driver) \(network.name)")
            created += 1
        }
        var parts: [String: String] = [:]
        for name in hosts {
            guard let host = state.host(name) else { continue }
            let other = HostEngine(host: host)
            var seen = other.splice(["network", "inspect", network.name])
            for _ in 0..<500 where seen.status != 0 {
                usleep(20_000)
                seen = other.splice(["network", "inspect", network.name])
            }
            guard seen.status == 0 else {
                throw .engine(
                    host: name, step: "\(driver) network \(network.name) from the store", status: seen.status,
                    output: "not listed 10 s after host \(first) created it: "
                        + seen.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if driver == "routed", let part = Self.option("splice.routed.host_subnet", inInspect: seen.stdout) {
                parts[name] = part
            }
        }
        if driver == "routed", let index = state.networks.firstIndex(where: { $0.name == network.name }) {
            state.networks[index].parts = parts
        }
    }

    /// Option `key` of the first network in `network inspect` output.
    static func option(_ key: String, inInspect output: String) -> String? {
        guard let data = output.data(using: .utf8),
            let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]],
            let options = list.first?["Options"] as? [String: Any]
        else { return nil }
        return options[key] as? String
    }
}
