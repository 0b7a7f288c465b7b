import Foundation
import Glibc
import SystemKit
import TestSupport
import Testing

/// `kill -9` of spliced in the middle of `run -p` (the reliability issue, section 3): a failpoint kills the daemon
/// at each step of the start; after a restart the container is Created again and starts cleanly, and after
/// `rm -f` the lab's host has no veth, port rule, cgroup or `splice-init` of it left and equals its snapshot from
/// before (`HostSnapshot`).
@Suite("A start cut by kill -9 is undone at the restart", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct InterruptedStartTests {
    /// What the lab's host holds of Splice's containers: veths, nftables lines naming the port, cgroups of `id`.
    static func marks(_ lab: DaemonLab, id: String) throws -> [String] {
        let links = try runStatus("/usr/sbin/ip", ["-n", lab.namespaceName, "-o", "link", "show"]).stdout
            .split(separator: "\n").compactMap { line -> String? in
                let name = line.split(separator: ":").dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) }
                return name.flatMap { $0.hasPrefix("vsp") ? "link \($0)" : nil }
            }
        let rules = try runStatus("/usr/bin/nsenter", ["--net=/run/netns/\(lab.namespaceName)", "/usr/sbin/nft",
                                                       "list", "ruleset"]).stdout
            .split(separator: "\n").filter { $0.contains("18085") }.map { "nft \($0)" }
        let cgroups = try runStatus("/usr/bin/find", ["/sys/fs/cgroup", "-maxdepth", "3", "-type", "d",
                                                      "-name", id]).stdout
            .split(separator: "\n").map { "cgroup \($0)" }
        return links + rules + cgroups
    }

    /// One lab for every step (each costs two daemon restarts); the host is compared with its snapshot from
    /// before after each.
    @Test("kill -9 at each step of run -p, restart, start, rm -f: nothing left", arguments: [Failpoint.startSteps])
    func killedAt(steps: [String]) throws {
        let lab = try DaemonLab("fp-start")
        for step in steps {
            let before = try HostSnapshot(lab)
            lab.stopDaemon()
            try lab.startDaemon(environment: ["SPLICE_FAILPOINT": step])
            let cut = try lab.docker(["run", "-d", "--name", "victim", "-p", "18085:80", "bb", "sleep", "300"])
            #expect(cut.status != 0, "\(step): the daemon died in the middle of the start")
            try #require(lab.awaitDaemonEnd(), "\(step): the failpoint killed spliced")
            try lab.startDaemon()
            let id = try lab.docker(["inspect", "-f", "{{.Id}}", "victim"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(id.count == 64, "\(step): the container's record survived the kill")
            #expect(try lab.docker(["inspect", "-f", "{{.State.Status}}", "victim"]).stdout == "created\n")
            #expect(try Self.marks(lab, id: id).isEmpty, "\(step): the restart removed what the cut start made")
            let start = try lab.docker(["start", "victim"])
            #expect(start.status == 0, "\(step): a start after the restart works: \(start.stderr)")
            #expect(try lab.docker(["inspect", "-f", "{{.State.Status}}", "victim"]).stdout == "running\n")
            #expect(try lab.docker(["rm", "-f", "victim"]).status == 0)
            #expect(try Self.marks(lab, id: id) == [], "\(step): rm -f leaves no veth, port rule or cgroup")
            let monitors = try runStatus("/usr/bin/pgrep", ["-f", "splice-init [^ ]*\(id)/run"])
            #expect(monitors.stdout.isEmpty, "\(step): no splice-init of the container is left")
            let after = try HostSnapshot(lab, containers: [id])
            #expect(before.difference(to: after) == [], "\(step): the host is as before")
        }
    }
}
