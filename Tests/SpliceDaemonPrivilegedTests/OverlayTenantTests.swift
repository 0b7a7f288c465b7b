import Foundation
import Glibc
import SystemKit
import Testing
import TestSupport

/// Two tenants' overlay networks with the same subnet on the same two hosts: each tenant's containers reach each
/// other (by name and address) and never the other tenant's, even where two containers hold the same address on
/// one host; both reach the outside and publish ports, through `docker_gwbridge` where the network is detached.
@Suite("overlay networks with overlapping subnets", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox (Debian's busybox-static) for the test image"),
       .enabled(if: EtcdServer.binary != nil, "\(EtcdServer.missingReason)"))
struct OverlayTenantTests {
    /// What answers on port 7000 at `address`, asked from `container` on `host` (the server says its hostname).
    static func whoIs(_ address: String, from container: String, on host: DaemonLab) throws -> String {
        try host.docker(["exec", container, "sh", "-c", "nc -w 2 \(address) 7000 </dev/null"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts a container that answers its hostname on port 7000.
    static func serve(_ name: String, network: String, address: String, on host: DaemonLab,
                      extra: [String] = []) throws
    {
        let run = try host.docker(["run", "-d", "--name", name, "--hostname", name, "--network", network,
                                   "--ip", address] + extra + ["bb", "nc", "-ll", "-p", "7000", "-e", "hostname"])
        try #require(run.status == 0, "\(run.stderr)\n\(host.daemonLog())")
    }

    @Test func twoTenantsWithOneSubnetStayApart() throws {
        let underlay = try ClusterUnderlay(tag: "t", hostPrefix: "ot")
        defer { underlay.remove() }
        let h1 = try underlay.host(1)
        let h2 = try underlay.host(2)
        for tenant in ["red", "blue"] {
            let create = try h1.docker(["network", "create", "-d", "overlay", "--subnet", "10.215.0.0/24", tenant])
            try #require(create.status == 0, "\(create.stderr)\n\(h1.daemonLog())")
        }
        // The same address on one host, once per tenant; and one address only the blue tenant has.
        try Self.serve("red1", network: "red", address: "10.215.0.10", on: h1)
        try Self.serve("blue1", network: "blue", address: "10.215.0.10", on: h1)
        try Self.serve("red2", network: "red", address: "10.215.0.11", on: h2)
        try Self.serve("blue2", network: "blue", address: "10.215.0.11", on: h2)
        try Self.serve("blue3", network: "blue", address: "10.215.0.12", on: h2, extra: ["-p", "127.0.0.1:7012:7000"])

        let logs = { "h1:\n\(h1.daemonLog())\nh2:\n\(h2.daemonLog())" }
        // The host's and a container's network state, for a failure's message.
        let state = { (host: DaemonLab, container: String) -> String in
            let script = "ip -br addr; ip route; bridge fdb show; ip neigh; nft list ruleset"
            let namespace = "--net=/run/netns/\(host.namespaceName)"
            return ((try? run("/usr/bin/nsenter", [namespace, "sh", "-c", script])) ?? "")
                + ((try? host.docker(["exec", container, "sh", "-c", "ip addr; ip route; ip neigh"]).stdout) ?? "")
        }
        let answers = { (container: String, expected: String) throws -> Bool in
            try OverlayNetworkTests.eventually { try Self.whoIs("10.215.0.11", from: container, on: h1) == expected }
        }
        #expect(try answers("red1", "red2"), "red1 reaches red2 across hosts, not blue2 at the same address\n\(logs())")
        #expect(try answers("blue1", "blue2"),
                "blue1 reaches blue2 across hosts, not red2 at the same address\n\(logs())\n\(state(h1, "blue1"))")
        #expect(try Self.whoIs("10.215.0.10", from: "red2", on: h2) == "red1")
        #expect(try Self.whoIs("10.215.0.10", from: "blue2", on: h2) == "blue1")
        #expect(try Self.whoIs("red2", from: "red1", on: h1) == "red2", "names resolve within the tenant")
        #expect(try h1.docker(["exec", "red1", "ping", "-c", "1", "-W", "1", "blue3"]).status != 0,
                "another tenant's names do not resolve")
        #expect(try Self.whoIs("10.215.0.12", from: "red1", on: h1).isEmpty, "nor do its addresses answer")
        #expect(try h1.docker(["exec", "red1", "ping", "-c", "1", "-W", "1", "10.215.0.12"]).status != 0)

        // Both tenants reach the outside (etcd's namespace stands in for it) and blue3's published port answers.
        for container in ["red1", "blue1"] {
            #expect(try h1.docker(["exec", container, "ping", "-c", "1", "-W", "2", "10.211.0.100"]).status == 0,
                    "\(container) reaches the outside\n\(logs())")
        }
        let published = try run("/usr/bin/nsenter", ["--net=/run/netns/\(h2.namespaceName)", "sh", "-c",
                                                     "/bin/busybox nc -w 2 127.0.0.1 7012 </dev/null"])
        #expect(published.trimmingCharacters(in: .whitespacesAndNewlines) == "blue3")
        #expect(try h2.docker(["port", "blue3"]).stdout.contains("7000/tcp -> 127.0.0.1:7012"))
        // The detached network's way out is dockerd's docker_gwbridge, which inspect of the container leaves out.
        let networks = try h2.docker(["inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
                                      "blue3"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(networks == "blue")
        #expect(try h2.docker(["network", "ls", "--format", "{{.Name}}"]).stdout.contains("docker_gwbridge"))

        // Leaving the network leaves docker_gwbridge too; joining again gives it back.
        let gatewayPorts = { () throws -> String in
            try run("/usr/bin/nsenter", ["--net=/run/netns/\(h1.namespaceName)", "ip", "-o", "link", "show",
                                         "master", "docker_gwbridge"])
        }
        let before = try gatewayPorts().split(separator: "\n").count
        #expect(try h1.docker(["network", "disconnect", "blue", "blue1"]).status == 0)
        let after = try gatewayPorts().split(separator: "\n").count
        #expect(try h1.docker(["network", "connect", "blue", "blue1"]).status == 0)
        // h1 set red up first, so blue (same subnet) is the detached one there.
        #expect(before >= 1, "blue1 has a docker_gwbridge port")
        #expect(after == before - 1, "blue1's docker_gwbridge port went with the network")
        #expect(try answers("blue1", "blue2"), "blue1 reaches blue2 again")
    }
}
