import Foundation
import SystemKit

/// Removes a lab from its state file alone: containers and networks through each host's spliced (restarted when
/// it was killed, so it can clean up what it made, with the store's etcd running), then the spliced processes
/// and etcd members by recorded PID, etcd's data, the namespaces (and with them links, nftables tables and
/// qdiscs), mounts left under the lab's directory, and the directory.
public enum LabTeardown {
    /// Removes lab `name`; returns what could not be removed (empty when everything is gone).
    public static func down(name: String, log: (String) -> Void) throws(LabError) -> [String] {
        let state = try LabState.load(name: name)
        var failures: [String] = []
        // The store runs while the daemons remove their containers and networks (restarted when a test step
        // or a killed `up` left it stopped), and stops after them.
        var store = (state.store ?? []).indices.map { LabRunner.storeProcess($0, in: state) }
        var relaunched: [Int] = []
        for index in store.indices {
            store[index].adoptPidFile()
            let member = store[index].member
            if !store[index].isAlive, FileManager.default.fileExists(atPath: member.dataDirectory),
                FileManager.default.fileExists(atPath: "/run/netns/\(member.namespace)")
            {
                log("store \(member.name): etcd is stopped; starting it so the daemons can leave the store")
                if (try? store[index].launch()) != nil { relaunched.append(index) }
            }
        }
        for index in relaunched {
            if let pid = try? store[index].awaitHealthy() { store[index].member.pid = pid }
        }
        for host in state.hosts where host.engine {
            var engine = HostEngine(host: host)
            engine.adoptPidFile()
            let hasGraph = FileManager.default.fileExists(atPath: host.directory + "/graph")
            // A spliced still starting (up was killed meanwhile) gets five seconds to answer.
            engine.awaitAnswer()
            if !engine.isAlive, hasGraph, FileManager.default.fileExists(atPath: "/run/netns/\(host.namespace)") {
                log("host \(host.name): spliced is gone; starting it to remove its containers")
                if let pid = try? engine.start() { engine.host.pid = pid }
            }
            if engine.isAnswering {
                let ids = engine.splice(["ps", "-aq"]).stdout.split(separator: "\n").map(String.init)
                if !ids.isEmpty {
                    let removed = engine.splice(["rm", "-f"] + ids)
                    if removed.status != 0 { failures.append("host \(host.name): rm -f: \(removed.stderr)") }
                }
                for network in state.networks where network.hosts.contains(host.name) {
                    _ = engine.splice(["network", "rm", network.name])
                }
            }
            engine.stop()
        }
        for process in store {
            process.stop()
            if process.isAlive {
                failures.append("store \(process.member.name): etcd \(process.member.pid) is still running")
            }
            if FileManager.default.fileExists(atPath: process.member.directory) {
                do {
                    try FileManager.default.removeItem(atPath: process.member.directory)
                } catch {
                    failures.append("remove \(process.member.directory): \(error.localizedDescription)")
                }
            }
        }
        let namespaces = state.hosts.map(\.namespace) + (state.store ?? []).map(\.namespace) + [state.switchNamespace]
            + (state.routerNamespace.map { [$0] } ?? [])
        for namespace in namespaces {
            guard FileManager.default.fileExists(atPath: "/run/netns/\(namespace)") else { continue }
            do {
                try NetworkNamespace.delete(named: namespace)
            } catch {
                failures.append("namespace \(namespace): \(error)")
            }
        }
        let directory = LabState.directory(of: name)
        for mount in mounts(under: directory).reversed() where umount2(mount, Int32(MNT_DETACH)) != 0 {
            failures.append("unmount \(mount): \(String(cString: strerror(errno)))")
        }
        if failures.isEmpty || mounts(under: directory).isEmpty {
            do {
                try FileManager.default.removeItem(atPath: directory)
            } catch {
                failures.append("remove \(directory): \(error.localizedDescription)")
            }
        }
        return failures
    }

    /// Mount points at or below `directory`, in mount order.
    static func mounts(under directory: String) -> [String] {
        guard let entries = try? MountInfoEntry.current() else { return [] }
        return entries.map(\.mountPoint).filter { $0 == directory || $0.hasPrefix(directory + "/") }
    }
}
