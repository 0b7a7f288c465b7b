import Foundation
import Glibc
import SystemKit
import Testing
import TestSupport

/// Routed (host-gw) networks: two hosts on one bridged underlay (10.211.0.0/24) and a third behind a router, with
/// etcd on the underlay. Each host holds its own subnet of the network and routes the others' through their
/// underlay addresses; containers keep their source addresses across hosts.
@Suite("routed networks across hosts", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox (Debian's busybox-static) for the test image"),
       .enabled(if: EtcdServer.binary != nil, "\(EtcdServer.missingReason)"))
struct RoutedNetworkTests {
    static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Splice's routes (protocol 83) in a host's namespace.
    static func routes(_ host: DaemonLab) throws -> String {
        try run("ip", ["-n", host.namespaceName, "route", "show", "proto", "83"])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: DaemonLab.binary("splice", environment: "SPLICE_BIN")),
                   "the splice client is not built"))
    func containersOnTwoHostsTalkByNameWithTheirOwnAddresses() throws {
        let underlay = try ClusterUnderlay(tag: "r", hostPrefix: "rt")
        defer { underlay.remove() }
        let h1 = try underlay.host(1)
        let h2 = try underlay.host(2)
        let logs = { "h1:\n\(h1.daemonLog())\nh2:\n\(h2.daemonLog())" }

        let create = try h1.docker(["network", "create", "-d", "routed", "--subnet", "10.220.0.0/16", "rt"])
        try #require(create.status == 0, "\(create.stderr)\n\(logs())")
        #expect(try OverlayNetworkTests.eventually {
            try h2.docker(["network", "ls", "--filter", "driver=routed", "--format", "{{.Name}} {{.Scope}}"])
                .stdout.contains("rt global")
        }, "h2 lists the network")
        // Bad input: a subnet too small for /24 per host, one overlapping a host route (the underlay's).
        let small = try h1.docker(["network", "create", "-d", "routed", "--subnet", "10.230.0.0/24", "small"])
        #expect(small.status != 0)
        #expect(small.stderr.contains("10.230.0.0/24 is too small for per-host subnets of /24"), "\(small.stderr)")
        let clash = try h1.docker(["network", "create", "-d", "routed", "--subnet", "10.211.0.0/16", "clash"])
        #expect(clash.status != 0)
        #expect(clash.stderr.contains("Pool overlaps with other one on this address space"), "\(clash.stderr)")
        #expect(try h2.docker(["network", "ls", "-q", "--filter", "name=small"]).stdout.isEmpty)

        // Each host holds a /24 of its own, with the underlay's MTU.
        let part = { (host: DaemonLab) throws -> String in
            Self.trimmed(try host.docker(["network", "inspect", "-f",
                                          "{{index .Options \"splice.routed.host_subnet\"}}", "rt"]).stdout)
        }
        #expect(try OverlayNetworkTests.eventually { try part(h2).hasSuffix("/24") }, "\(logs())")
        let part1 = try part(h1)
        let part2 = try part(h2)
        #expect(part1.hasPrefix("10.220.") && part2.hasPrefix("10.220.") && part1 != part2, "\(part1) \(part2)")

        let runA = try h1.docker(["run", "-d", "--name", "alpha", "--network", "rt", "bb", "sleep", "1000"])
        try #require(runA.status == 0, "\(runA.stderr)\n\(logs())")
        let runB = try h2.docker(["run", "-d", "--name", "bravo", "--network", "rt", "bb", "sh", "-c",
                                  "sleep 1000 | nc -l -p 7000"])
        try #require(runB.status == 0, "\(runB.stderr)\n\(logs())")
        let addressA = Self.trimmed(try h1.docker(["inspect", "-f", "{{.NetworkSettings.Networks.rt.IPAddress}}",
                                                   "alpha"]).stdout)
        let addressB = Self.trimmed(try h2.docker(["inspect", "-f", "{{.NetworkSettings.Networks.rt.IPAddress}}",
                                                   "bravo"]).stdout)
        #expect(try #require(IPNetwork(part1)).contains(.v4(try #require(IPv4Address(addressA)))), "\(addressA)")
        #expect(try #require(IPNetwork(part2)).contains(.v4(try #require(IPv4Address(addressB)))), "\(addressB)")
        #expect(Self.trimmed(try h1.docker(["exec", "alpha", "cat", "/sys/class/net/eth0/mtu"]).stdout) == "1500")

        // Routes to the other host's part through its underlay address, marked as Splice's.
        let routes1 = try Self.routes(h1)
        let routes2 = try Self.routes(h2)
        #expect(routes1.contains("\(part2) via 10.211.0.2"), "\(routes1)")
        #expect(routes2.contains("\(part1) via 10.211.0.1"), "\(routes2)")

        #expect(try OverlayNetworkTests.eventually {
            try h1.docker(["exec", "alpha", "ping", "-c", "1", "-W", "1", "bravo"]).status == 0
        }, "alpha reaches bravo by name\n\(logs())")
        #expect(try OverlayNetworkTests.eventually {
            try h2.docker(["exec", "bravo", "ping", "-c", "1", "-W", "1", "alpha"]).status == 0
        }, "bravo reaches alpha by name\n\(logs())")

        // bravo sees alpha's own address (no masquerade inside the network): a connection held open by alpha
        // shows in bravo's socket table with alpha's address as the peer.
        let held = try h1.docker(["exec", "-d", "alpha", "sh", "-c", "sleep 20 | nc bravo 7000"])
        #expect(held.status == 0, "\(held.stderr)")
        var sockets = ""
        #expect(try OverlayNetworkTests.eventually {
            sockets = try h2.docker(["exec", "bravo", "netstat", "-tn"]).stdout
            return sockets.contains("\(addressB):7000") && sockets.contains("ESTABLISHED")
        }, "a connection from alpha:\n\(sockets)")
        // busybox prints IPv4 peers of its dual-stack socket as ::ffff:A.B.C.D.
        #expect(sockets.contains(" \(addressA):") || sockets.contains(":ffff:\(addressA):"),
                "the peer is alpha's own address \(addressA):\n\(sockets)")
        // Egress to the outside is masqueraded (etcd's namespace has no route back to the network).
        #expect(try h1.docker(["exec", "alpha", "ping", "-c", "1", "-W", "2", "10.211.0.100"]).status == 0)

        // A third host behind a router is not on-link: the others route nothing to it and say so.
        let h3 = try underlay.hostBehindRouter(3)
        let unreachable = { (host: DaemonLab) throws -> String in
            try host.docker(["network", "inspect", "-f", "{{index .Options \"splice.routed.unreachable_peers\"}}",
                             "rt"]).stdout
        }
        #expect(try OverlayNetworkTests.eventually(20) { try unreachable(h1).contains("10.212.0.3") },
                "h1 names h3 as unreachable\n\(h1.daemonLog())\nh3:\n\(h3.daemonLog())")
        #expect(try unreachable(h1).contains("shared L2 underlay"))
        #expect(h1.daemonLog().contains("routed networks need a shared L2 underlay"))
        let part3 = try part(h3)
        #expect(part3.hasPrefix("10.220."), "h3 holds a part too: \(part3)")
        #expect(try !Self.routes(h1).contains(part3) && !Self.routes(h1).contains("10.212.0.3"), "no broken route")
        #expect(try Self.trimmed(Self.routes(h3)).isEmpty, "h3 reaches neither peer directly")

        // Through the splice client, on h3: the peers it cannot reach come back as a warning with the create.
        let fromH3 = try h3.splice(["network", "create", "-d", "routed", "--subnet", "10.221.0.0/16", "rt3"])
        #expect(fromH3.status == 0, "\(fromH3.stderr)")
        #expect(fromH3.stderr.contains("WARNING: routed network: no route to the containers of"), "\(fromH3.stderr)")
        #expect(fromH3.stderr.contains("10.211.0.1") && fromH3.stderr.contains("10.211.0.2"), "\(fromH3.stderr)")
        #expect(try h3.splice(["network", "rm", "rt3"]).status == 0)

        // h2 dies (kill -9): once its lease and the grace have passed, h1 drops the route to its part; when h2's
        // daemon returns it gets its previous part again (its container keeps its address), and the route is back.
        kill(h2.daemonPid, SIGKILL)
        #expect(h2.awaitDaemonEnd())
        #expect(try OverlayNetworkTests.eventually(25) { try !Self.routes(h1).contains(part2) }, "h1 drops h2's part")
        try h2.startDaemon()
        #expect(try OverlayNetworkTests.eventually(20) { try Self.routes(h1).contains("\(part2) via 10.211.0.2") },
                "h2's part comes back\n\(logs())")
        #expect(try part(h2) == part2)
        #expect(try OverlayNetworkTests.eventually {
            try h1.docker(["exec", "alpha", "ping", "-c", "1", "-W", "1", "bravo"]).status == 0
        }, "alpha reaches bravo again\n\(logs())")

        // Removal: refused while in use, then the network, its routes and bridges go everywhere.
        #expect(try h1.docker(["network", "rm", "rt"]).stderr.contains("active endpoints"))
        #expect(try h1.docker(["rm", "-f", "alpha"]).status == 0)
        #expect(try h2.docker(["rm", "-f", "bravo"]).status == 0)
        let removal = try h1.docker(["network", "rm", "rt"])
        #expect(removal.status == 0, "\(removal.stderr)")
        for host in [h1, h2, h3] {
            let left = { (try? Self.routes(host)) ?? "" }
            #expect(try OverlayNetworkTests.eventually {
                try host.docker(["network", "ls", "-q", "--filter", "name=rt"]).stdout.isEmpty
                    && Self.trimmed(Self.routes(host)).isEmpty
                    && !run("ip", ["-n", host.namespaceName, "-o", "link", "show"]).contains(" rt-")
            }, "\(host.namespaceName): network, routes and bridge gone\n\(left())")
        }
    }

    @Test func routedNeedsAClusterStore() throws {
        let plain = try DaemonLab("rtplain")
        let refused = try plain.docker(["network", "create", "-d", "routed", "--subnet", "10.220.0.0/16", "rt"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("routed networks need a cluster store: start spliced with --cluster-store"))
        #expect(try plain.docker(["network", "ls", "-q", "--filter", "name=rt"]).stdout.isEmpty)
    }
}
