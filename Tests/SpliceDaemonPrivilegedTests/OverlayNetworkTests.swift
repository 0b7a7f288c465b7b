import Foundation
import Glibc
import SystemKit
import Testing
import TestSupport

/// Three simulated hosts (namespaces with a `spliced` each) on one bridged underlay (10.211.0.0/24), and etcd in
/// a namespace of its own on the same underlay (10.211.0.100): overlay networks created on one host, used by
/// name from the others, across a `kill -9` of one host's daemon and a stop of etcd.
@Suite("overlay networks across hosts", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox (Debian's busybox-static) for the test image"),
       .enabled(if: EtcdServer.binary != nil, "\(EtcdServer.missingReason)"))
struct OverlayNetworkTests {
    typealias Underlay = ClusterUnderlay

    /// Runs `body` until it returns true, at most `seconds`.
    static func eventually(_ seconds: Double = 15, _ body: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if try body() { return true }
            usleep(200_000)
        } while Date() < deadline
        return false
    }

    @Test func containersOnTwoHostsPingByNameThroughDaemonAndStoreOutages() throws {
        let underlay = try Underlay()
        defer { underlay.remove() }
        let h1 = try underlay.host(1)
        let h2 = try underlay.host(2)
        let h3 = try underlay.host(3)

        let create = try h1.docker(["network", "create", "-d", "overlay", "--subnet", "10.210.0.0/24", "ov"])
        #expect(create.status == 0, "\(create.stderr)\n\(h1.daemonLog())")
        for host in [h2, h3] {
            #expect(try Self.eventually {
                try host.docker(["network", "ls", "--filter", "driver=overlay", "--format", "{{.Name}} {{.Scope}}"])
                    .stdout.contains("ov global")
            }, "every host lists the network")
        }
        // A subnet that overlaps a host route (the underlay's) is refused, and nothing reaches the store.
        let clash = try h1.docker(["network", "create", "-d", "overlay", "--subnet", "10.211.0.0/24", "clash"])
        #expect(clash.status != 0)
        #expect(clash.stderr.contains("Pool overlaps with other one on this address space"))
        #expect(try h2.docker(["network", "ls", "-q", "--filter", "name=clash"]).stdout.isEmpty)
        // The same name again, from another host: refused by the store.
        let again = try h2.docker(["network", "create", "-d", "overlay", "--subnet", "10.212.0.0/24", "ov"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("network with name ov already exists"))

        let runA = try h1.docker(["run", "-d", "--name", "alpha", "--network", "ov", "bb", "sleep", "1000"])
        try #require(runA.status == 0, "\(runA.stderr)\n\(h1.daemonLog())")
        let runB = try h2.docker(["run", "-d", "--name", "bravo", "--network", "ov", "bb", "sleep", "1000"])
        try #require(runB.status == 0, "\(runB.stderr)\n\(h2.daemonLog())")
        let addressA = try h1.docker(["inspect", "-f", "{{.NetworkSettings.Networks.ov.IPAddress}}", "alpha"]).stdout
        let addressB = try h2.docker(["inspect", "-f", "{{.NetworkSettings.Networks.ov.IPAddress}}", "bravo"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(addressA.trimmingCharacters(in: .whitespacesAndNewlines) != addressB, "distinct addresses")
        #expect(try Self.eventually { try h1.docker(["exec", "alpha", "ping", "-c", "1", "-W", "1", "bravo"]).status == 0 },
                "alpha reaches bravo by name\n\(h1.daemonLog())")
        #expect(try h2.docker(["exec", "bravo", "ping", "-c", "1", "-W", "1", "alpha"]).status == 0, "bravo reaches alpha by name")
        // Egress through masquerade on the container's own host (etcd's namespace stands in for the outside); an
        // --internal overlay network has none.
        #expect(try h1.docker(["exec", "alpha", "ping", "-c", "1", "-W", "2", "10.211.0.100"]).status == 0)
        let isolated = try h1.docker(["network", "create", "-d", "overlay", "--internal", "--subnet", "10.214.0.0/24",
                                      "ovi"])
        #expect(isolated.status == 0, "\(isolated.stderr)")
        #expect(try h1.docker(["run", "-d", "--name", "delta", "--network", "ovi", "bb", "sleep", "1000"]).status == 0)
        #expect(try h1.docker(["exec", "delta", "ping", "-c", "1", "-W", "2", "10.211.0.100"]).status != 0)
        #expect(try h1.docker(["exec", "delta", "ping", "-c", "1", "-W", "2", "10.214.0.1"]).status == 0,
                "its own gateway answers")
        let mtu = try h1.docker(["exec", "alpha", "cat", "/sys/class/net/eth0/mtu"]).stdout
        #expect(mtu.trimmingCharacters(in: .whitespacesAndNewlines) == "1450")

        // h2's lease lapses (revoked here, as a keep-alive that comes too late lets it expire): h2 and bravo leave
        // the store, and h1 keeps forwarding to them for one lease TTL while h2 joins again. Then, before that
        // settles, etcd stops and h2's daemon is killed (with etcd down no lease expires, so h2 is not taken for
        // dead): the kernel keeps forwarding, and names still answer from h1's last view.
        try underlay.revokeLease(ofHostAt: "10.211.0.2")
        usleep(300_000)
        underlay.etcd?.stop()
        kill(h2.daemonPid, SIGKILL)
        #expect(h2.awaitDaemonEnd())
        let logs = { "h1:\n\(h1.daemonLog())\nh2:\n\(h2.daemonLog())" }
        #expect(try h1.docker(["exec", "alpha", "ping", "-c", "3", "-W", "1", addressB]).status == 0, "\(logs())")
        #expect(try h1.docker(["exec", "alpha", "ping", "-c", "2", "-W", "1", "bravo"]).status == 0, "\(logs())")

        // Both return: a container on the third host gets a fresh address and reaches the others by name.
        try underlay.etcd?.start()
        try h2.startDaemon()
        let runC = try h3.docker(["run", "-d", "--name", "charlie", "--network", "ov", "bb", "sleep", "1000"])
        try #require(runC.status == 0, "\(runC.stderr)\nh3:\n\(h3.daemonLog())")
        let addressC = try h3.docker(["inspect", "-f", "{{.NetworkSettings.Networks.ov.IPAddress}}", "charlie"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(![addressA.trimmingCharacters(in: .whitespacesAndNewlines), addressB].contains(addressC))
        #expect(try Self.eventually { try h3.docker(["exec", "charlie", "ping", "-c", "1", "-W", "1", "alpha"]).status == 0 },
                "charlie reaches alpha by name\n\(h3.daemonLog())")
        #expect(try Self.eventually { try h3.docker(["exec", "charlie", "ping", "-c", "1", "-W", "1", "bravo"]).status == 0 })
        // h2's restarted daemon moved bravo to its new lease: bravo stays reachable after the old lease's TTL.
        sleep(6)
        #expect(try h1.docker(["exec", "alpha", "ping", "-c", "1", "-W", "1", "bravo"]).status == 0)

        // A network in use anywhere cannot be removed.
        let removal = try h3.docker(["network", "rm", "ov"])
        #expect(removal.status != 0)
        #expect(removal.stderr.contains("active endpoints"))

        // h3 dies (kill -9, so its lease is not revoked): when the lease expires (TTL 4 s), h1's FDB forgets it.
        let id = try h1.docker(["network", "inspect", "-f", "{{.Id}}", "ov"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let device = "vx-" + String(id.prefix(12))
        let fdb = { () throws -> String in
            try run("/usr/bin/nsenter", ["--net=/run/netns/\(h1.namespaceName)", "bridge", "fdb", "show", "dev", device])
        }
        #expect(try fdb().contains("dst 10.211.0.3"), "h1 floods to h3 and knows charlie's MAC there")
        kill(h3.daemonPid, SIGKILL)
        #expect(h3.awaitDaemonEnd())
        #expect(try Self.eventually(20) { try !fdb().contains("dst 10.211.0.3") }, "h3 left h1's FDB:\n\((try? fdb()) ?? "")")
        #expect(try fdb().contains("dst 10.211.0.2"), "h2 is still there")
        try h3.startDaemon()  // so the lab removes charlie through it
    }

    @Test func aRunRightAfterTheHostsLeaseIsGoneGetsANewLease() throws {
        let underlay = try Underlay()
        defer { underlay.remove() }
        let h1 = try underlay.host(1)
        let h2 = try underlay.host(2)
        let create = try h1.docker(["network", "create", "-d", "overlay", "--subnet", "10.216.0.0/24", "ovl"])
        try #require(create.status == 0, "\(create.stderr)")
        #expect(try h2.docker(["run", "-d", "--name", "far", "--network", "ovl", "bb", "sleep", "1000"]).status == 0)
        // h1's lease is gone (as when it expires while etcd is away) and a run comes before a keep-alive notices:
        // the run gets a new lease instead of etcd's "requested lease not found".
        try underlay.revokeLease(ofHostAt: "10.211.0.1")
        let run = try h1.docker(["run", "-d", "--name", "near", "--network", "ovl", "bb", "sleep", "1000"])
        #expect(run.status == 0, "\(run.stderr)\n\(h1.daemonLog())")
        #expect(try Self.eventually { try h2.docker(["exec", "far", "ping", "-c", "1", "-W", "1", "near"]).status == 0 },
                "far reaches near by name: its endpoint is in the store under the new lease\n\(h1.daemonLog())")
    }

    @Test func overlayNeedsAClusterStoreAndAReachableOne() throws {
        let plain = try DaemonLab("ovplain")
        let refused = try plain.docker(["network", "create", "-d", "overlay", "ov"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--cluster-store"))
        #expect(try plain.docker(["network", "ls", "-q", "--filter", "driver=overlay"]).stdout.isEmpty)

        let port = try EtcdServer.freePort()
        let lonely = try DaemonLab("ovlone", daemonArguments: ["--cluster-store", "etcd://127.0.0.1:\(port)",
                                                               "--cluster-advertise", "127.0.0.1"])
        let unreachable = try lonely.docker(["network", "create", "-d", "overlay", "--subnet", "10.213.0.0/24", "ov"])
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.contains("cluster store etcd://127.0.0.1:\(port) is unreachable"))
        #expect(try lonely.docker(["network", "ls", "-q", "--filter", "name=ov"]).stdout.isEmpty, "nothing left here")
    }

    @Test func anAdvertiseAddressThatIsNotLocalStopsTheDaemon() throws {
        let namespace = try ScratchNamedNamespace(tag: "ovadv")
        let directory = NSTemporaryDirectory() + "splice-ovadv-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try runStatus("/usr/bin/nsenter", [
            "--net=/run/netns/\(namespace.name)", DaemonLab.splicedBinary, "-H", "unix://\(directory)/s.sock",
            "-g", directory + "/graph", "--cluster-store", "etcd://127.0.0.1:2379", "--cluster-advertise", "10.9.9.9",
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--cluster-advertise 10.9.9.9: 10.9.9.9 is not an address of this host"))
        #expect(try run("ip", ["-n", namespace.name, "-o", "link", "show"]).split(separator: "\n").count == 1,
                "nothing made (only lo)")
    }
}
