import Foundation
import Glibc
import TestSupport
import Testing

/// `kill -9` of spliced in the middle of `rm`, `network connect`/`disconnect`, `network create`/`rm`, `volume
/// create`/`rm` and an
/// endpoint's steps (its address, veth, published port's map element; their teardown) (the reliability issue,
/// section 3): a failpoint kills the
/// daemon at the step, the daemon is restarted, and after `rm -f` of the container (and `network rm` of the
/// test's network) the lab's host equals its snapshot from before: interfaces, nftables, pinned namespaces, mounts,
/// cgroups, processes, IPAM. One lab per group of steps (each step costs two daemon restarts).
@Suite("An operation cut by kill -9 leaves nothing a restart does not adopt or remove", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct InterruptedOperationTests {
    /// Restarts the lab's daemon armed with `step`, runs `operation` (which the kill cuts), restarts it unarmed.
    static func cut(_ lab: DaemonLab, at step: String, _ operation: () throws -> Void) throws {
        lab.stopDaemon()
        try lab.startDaemon(environment: ["SPLICE_FAILPOINT": step])
        try operation()
        try #require(lab.awaitDaemonEnd(), "the failpoint \(step) killed spliced")
        try lab.startDaemon()
    }

    static func id(_ lab: DaemonLab, _ name: String) throws -> String {
        let id = try lab.docker(["inspect", "-f", "{{.Id}}", name]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(id.count == 64, "container \(name) exists")
        return id
    }

    @Test("kill -9 at each step of rm -f of a running container with -p: restart, rm -f, nothing left",
          arguments: [["rm.stop", "rm.intent", "rm.network", "rm.resources", "endpoint.unpublish", "endpoint.unlink"]])
    func removal(steps: [String]) throws {
        let lab = try DaemonLab("fp-rm")
        for step in steps {
            let before = try HostSnapshot(lab)
            #expect(try lab.docker(["run", "-d", "--name", "victim", "-p", "18086:80", "bb", "sleep", "300"])
                .status == 0)
            let id = try Self.id(lab, "victim")
            try Self.cut(lab, at: step) {
                let cut = try lab.docker(["rm", "-f", "victim"])
                #expect(cut.status != 0, "\(step): the daemon died in the middle of rm -f")
            }
            _ = try lab.docker(["rm", "-f", "victim"])
            #expect(try lab.docker(["ps", "-aq"]).stdout.isEmpty, "\(step): the container is gone")
            let after = try HostSnapshot(lab, containers: [id])
            #expect(before.difference(to: after) == [], "\(step): the host is as before")
        }
    }

    @Test("kill -9 inside the endpoint of run -p (address, veth, port map element): restart, rm -f, nothing left",
          arguments: [["endpoint.address", "endpoint.veth", "endpoint.publish"]])
    func endpoint(steps: [String]) throws {
        let lab = try DaemonLab("fp-ep")
        for step in steps {
            let before = try HostSnapshot(lab)
            try Self.cut(lab, at: step) {
                let cut = try lab.docker(["run", "-d", "--name", "victim", "-p", "18087:80", "bb", "sleep", "300"])
                #expect(cut.status != 0, "\(step): the daemon died in the middle of the start")
            }
            let id = try Self.id(lab, "victim")
            #expect(try lab.docker(["inspect", "-f", "{{.State.Status}}", "victim"]).stdout == "created\n")
            // The cut start's port is free again: a start after the restart publishes it.
            let start = try lab.docker(["start", "victim"])
            #expect(start.status == 0, "\(step): a start after the restart works: \(start.stderr)")
            #expect(try lab.docker(["rm", "-f", "victim"]).status == 0)
            let after = try HostSnapshot(lab, containers: [id])
            #expect(before.difference(to: after) == [], "\(step): the host is as before")
        }
    }

    /// The connect steps; `endpoint.*#2` is the connect's endpoint (the first is the start's), `endpoint.unlink#1`
    /// the disconnect's teardown.
    @Test("kill -9 at each step of network connect/disconnect of a running container: adopted, rm -f, nothing left",
          arguments: [["connect.intent", "endpoint.address#2", "endpoint.veth#2", "connect.endpoint",
                       "disconnect.intent", "endpoint.unlink#1", "disconnect.endpoint"]])
    func connect(steps: [String]) throws {
        let lab = try DaemonLab("fp-nc")
        for step in steps {
            let before = try HostSnapshot(lab)
            #expect(try lab.docker(["network", "create", "--subnet", "10.231.0.0/24", "fpnet"]).status == 0)
            let disconnecting = step.hasPrefix("disconnect") || step.hasPrefix("endpoint.unlink")
            if disconnecting {
                try Self.runVictim(lab, step: step)
                #expect(try lab.docker(["network", "connect", "fpnet", "victim"]).status == 0)
            }
            try Self.cut(lab, at: step) {
                if !disconnecting { try Self.runVictim(lab, step: step) }
                let verb = disconnecting ? "disconnect" : "connect"
                let cut = try lab.docker(["network", verb, "fpnet", "victim"])
                #expect(cut.status != 0, "\(step): the daemon died in the middle of network \(verb)")
            }
            let id = try Self.id(lab, "victim")
            #expect(try lab.docker(["inspect", "-f", "{{.State.Status}}", "victim"]).stdout == "running\n",
                    "\(step): the running container is adopted")
            // Doing it again completes what the kill cut.
            let again = try lab.docker(["network", disconnecting ? "disconnect" : "connect", "fpnet", "victim"])
            if disconnecting {
                #expect(again.status == 0 || again.stderr.contains("is not connected"), "\(step): \(again.stderr)")
            } else {
                #expect(again.status == 0 || again.stderr.contains("already exists"), "\(step): \(again.stderr)")
                let addresses = try lab.docker(["exec", "victim", "ip", "addr"]).stdout
                #expect(addresses.contains("10.231.0."), "\(step): the container has its fpnet address: \(addresses)")
            }
            #expect(try lab.docker(["rm", "-f", "victim"]).status == 0)
            #expect(try lab.docker(["network", "rm", "fpnet"]).status == 0)
            let after = try HostSnapshot(lab, containers: [id])
            #expect(before.difference(to: after) == [], "\(step): the host is as before")
        }
    }

    /// `network.pool`, `.bridge` and `.record` cut a create after its address pool, its bridge and its record;
    /// `network.rm` cuts a removal after the record went, before its rules, bridge and pool.
    @Test("kill -9 inside volume create and rm: the volume is there whole (its options too) or not at all",
          arguments: [["volume.create", "volume.rm"]])
    func volume(steps: [String]) throws {
        let lab = try DaemonLab("fp-vol")
        let create = ["volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=1m", "fpvol"]
        for step in steps {
            let before = try HostSnapshot(lab)
            let removing = step == "volume.rm"
            if removing {
                #expect(try lab.docker(create).status == 0)
                // Used once, so that its tmpfs is mounted when the cut rm begins.
                let used = try lab.docker(["run", "--rm", "--net=none", "-v", "fpvol:/d", "bb", "touch", "/d/x"])
                #expect(used.status == 0, "\(used.stderr)")
            }
            try Self.cut(lab, at: step) {
                let cut = try lab.docker(removing ? ["volume", "rm", "fpvol"] : create)
                #expect(cut.status != 0, "\(step): the daemon died in the middle of volume \(removing ? "rm" : "create")")
            }
            let listed = try lab.docker(["volume", "ls", "-q"]).stdout
            #expect(listed.isEmpty, "\(step): no half-made or half-removed volume is listed: \(listed)")
            let left = (try? FileManager.default.contentsOfDirectory(atPath: lab.graph + "/volumes")) ?? []
            #expect(left.isEmpty, "\(step): the restart removed what the cut left: \(left)")
            // Made again whole: its options hold.
            #expect(try lab.docker(create).status == 0, "\(step): created again")
            let mounted = try lab.docker(["run", "--rm", "--net=none", "-v", "fpvol:/d", "bb", "grep", " /d ",
                                          "/proc/mounts"])
            #expect(mounted.stdout.hasPrefix("tmpfs /d tmpfs"), "\(step): \(mounted.stdout)\(mounted.stderr)")
            #expect(try lab.docker(["volume", "rm", "fpvol"]).status == 0)
            let after = try HostSnapshot(lab)
            #expect(before.difference(to: after) == [], "\(step): the host is as before")
        }
    }

    @Test("kill -9 at each step of network create and rm: the restart removes or keeps the network whole",
          arguments: [["network.pool", "network.bridge", "network.record", "network.rm"]])
    func network(steps: [String]) throws {
        let lab = try DaemonLab("fp-net")
        let create = ["network", "create", "--subnet", "10.232.0.0/24", "-o",
                      "com.docker.network.bridge.name=br-fpcut", "fpcut"]
        for step in steps {
            let before = try HostSnapshot(lab)
            let removing = step == "network.rm"
            if removing { #expect(try lab.docker(create).status == 0) }
            try Self.cut(lab, at: step) {
                let cut = try lab.docker(removing ? ["network", "rm", "fpcut"] : create)
                #expect(cut.status != 0, "\(step): the daemon died in the middle of network \(removing ? "rm" : "create")")
            }
            let listed = try lab.docker(["network", "ls", "-q", "--filter", "name=^fpcut$"]).stdout
            if step == "network.record" {
                #expect(!listed.isEmpty, "\(step): the recorded network is kept")
                let run = try lab.docker(["run", "--rm", "--network", "fpcut", "bb", "ip", "addr"])
                #expect(run.stdout.contains("10.232.0."), "\(step): it works: \(run.stderr)")
            } else {
                #expect(listed.isEmpty, "\(step): a network without its record is gone")
                // Nothing the cut left stands in the way of creating it again.
                #expect(try lab.docker(create).status == 0, "\(step): created again")
            }
            #expect(try lab.docker(["network", "rm", "fpcut"]).status == 0)
            let after = try HostSnapshot(lab)
            #expect(before.difference(to: after) == [], "\(step): the host is as before")
        }
    }

    static func runVictim(_ lab: DaemonLab, step: String) throws {
        let run = try lab.docker(["run", "-d", "--name", "victim", "-p", "18088:80", "bb", "sleep", "300"])
        #expect(run.status == 0, "\(step): run: \(run.stderr)")
    }
}
