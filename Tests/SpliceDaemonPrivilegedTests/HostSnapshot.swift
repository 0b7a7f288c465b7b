import Foundation
import Glibc
import SpliceNet
import TestSupport

/// What a user would look at to see whether a daemon left something behind in a lab: the interfaces and the
/// nftables ruleset of the lab's namespace, the daemon's pinned namespaces, mounts under the lab's directory, the
/// cgroups of the containers named, processes started under the lab's directory (but the daemon), and the IPAM
/// allocations. Two snapshots are compared with `==`; `difference` names what changed.
struct HostSnapshot: Equatable {
    var lines: Set<String>

    /// Takes the snapshot of `lab`; `containers` are the ids whose cgroups count (the cgroup tree is the machine's,
    /// shared with other daemons).
    init(_ lab: DaemonLab, containers: Set<String> = []) throws {
        var lines = Set<String>()
        let links = try runStatus("/usr/sbin/ip", ["-n", lab.namespaceName, "-o", "link", "show"]).stdout
        for line in links.split(separator: "\n") {
            let fields = line.split(separator: ":")
            guard fields.count > 1 else { continue }
            let name = fields[1].trimmingCharacters(in: .whitespaces).split(separator: "@").first.map(String.init)
            lines.insert("link \(name ?? "")")
        }
        let ruleset = try runStatus("/usr/bin/nsenter", ["--net=/run/netns/\(lab.namespaceName)", "/usr/sbin/nft",
                                                         "list", "ruleset"]).stdout
        for line in ruleset.split(separator: "\n") {
            // Counters move with traffic; the rule is the same.
            let text = line.replacingOccurrences(of: #"counter packets \d+ bytes \d+"#, with: "counter",
                                                 options: .regularExpression)
            lines.insert("nft \(text.trimmingCharacters(in: .whitespaces))")
        }
        let pinned = (try? FileManager.default.contentsOfDirectory(atPath: lab.graph + "/network/netns")) ?? []
        for name in pinned { lines.insert("netns \(name)") }
        let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        for line in mounts.split(separator: "\n") where line.contains(lab.directory) {
            let fields = line.split(separator: " ")
            lines.insert("mount \(fields.count > 4 ? String(fields[4]) : String(line))")
        }
        for id in containers {
            let found = try runStatus("/usr/bin/find", ["/sys/fs/cgroup", "-maxdepth", "3", "-type", "d",
                                                        "-name", id]).stdout
            for path in found.split(separator: "\n") { lines.insert("cgroup \(path)") }
        }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), pid != lab.daemonPid,
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { continue }
            let command = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            if command.contains(lab.graph) { lines.insert("process \(command)") }
        }
        if let data = FileManager.default.contents(atPath: lab.graph + "/network/ipam/ipam.json"),
           let state = try JSONSerialization.jsonObject(with: data) as? [String: Any],
           let pools = state["pools"] as? [[String: Any]]
        {
            for pool in pools {
                for (address, owner) in pool["allocations"] as? [String: String] ?? [:] {
                    lines.insert("ipam \(pool["name"] ?? "?") \(address) \(owner)")
                }
            }
        }
        self.lines = lines
    }

    /// What `other` has that this lacks (`+`) and lacks that this has (`-`).
    func difference(to other: HostSnapshot) -> [String] {
        other.lines.subtracting(lines).sorted().map { "+ \($0)" } + lines.subtracting(other.lines).sorted().map {
            "- \($0)"
        }
    }
}
