import Foundation
import Glibc
import SystemKit
import Testing
import TestSupport

extension OverlayNetworkTests {
    /// Host 1 on the underlay and host 3 behind a router that host 1 has no route to (host 3 reaches host 1 and
    /// etcd through its router): host 1 reports host 3 (network inspect, create's warning, one warning in its
    /// log) and still makes its entries; once host 1's underlay routes to host 3, the report goes and the
    /// containers reach each other.
    @Test func aPeerWithoutARouteIsReportedUntilTheUnderlayRoutesToIt() throws {
        let underlay = try Underlay(tag: "p", hostPrefix: "ovp")
        defer { underlay.remove() }
        let h1 = try underlay.host(1)
        let h3 = try underlay.hostBehindRouter(3)
        let logs = { "h1:\n\(h1.daemonLog())\nh3:\n\(h3.daemonLog())" }
        let warning = "overlay peer not reachable over the underlay"

        let create = try h1.docker(["network", "create", "-d", "overlay", "--subnet", "10.210.0.0/24", "ov"])
        try #require(create.status == 0, "\(create.stderr)\n\(logs())")
        let report = { (host: DaemonLab) throws -> String in
            try host.docker(["network", "inspect", "-f", "{{index .Options \"splice.overlay.unreachable_peers\"}}",
                             "ov"]).stdout
        }
        #expect(try Self.eventually(20) { try report(h1).contains("10.212.0.3") }, "h1 names h3\n\(logs())")
        #expect(try report(h1).contains("no route from 10.211.0.1 to 10.212.0.3"), "\((try? report(h1)) ?? "")")
        #expect(try Self.eventually { try h3.docker(["network", "ls", "-q", "--filter", "name=ov"]).stdout != "" })
        #expect(try !report(h3).contains("10.211.0.1"),
                "h3 routes to h1 through its router: \((try? report(h3)) ?? "")")

        // h1 still makes h3's entries; without a route nothing gets there.
        try #require(try h1.docker(["run", "-d", "--name", "alpha", "--network", "ov", "bb", "sleep", "1000"])
            .status == 0, "\(logs())")
        try #require(try h3.docker(["run", "-d", "--name", "charlie", "--network", "ov", "bb", "sleep", "1000"])
            .status == 0, "\(logs())")
        let id = try h1.docker(["network", "inspect", "-f", "{{.Id}}", "ov"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let fdb = { () throws -> String in
            try run("/usr/bin/nsenter", ["--net=/run/netns/\(h1.namespaceName)", "bridge", "fdb", "show", "dev",
                                         "vx-" + String(id.prefix(12))])
        }
        #expect(try Self.eventually { try fdb().contains("dst 10.212.0.3") }, "\((try? fdb()) ?? "")")
        let addressC = try h3.docker(["inspect", "-f", "{{.NetworkSettings.Networks.ov.IPAddress}}", "charlie"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try h1.docker(["exec", "alpha", "ping", "-c", "1", "-W", "1", addressC]).status != 0)

        // A second overlay network says so with its create (the Docker API's Warning); the log says it once.
        let body = #"{"Name":"ov2","Driver":"overlay","IPAM":{"Config":[{"Subnet":"10.215.0.0/24"}]}}"#
        let created = try run("/usr/bin/curl", ["-s", "-m", "30", "--unix-socket", h1.socket, "-X", "POST",
                                                "-H", "Content-Type: application/json", "-d", body,
                                                "http://localhost/v1.41/networks/create"])
        let reply = try #require(try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any])
        let createWarning = try #require(reply["Warning"] as? String, "\(created)")
        #expect(createWarning.contains("VXLAN packets cannot reach") && createWarning.contains("10.212.0.3"),
                "\(createWarning)")
        #expect(h1.daemonLog().components(separatedBy: warning).count == 2, "logged once\n\(h1.daemonLog())")

        // The underlay routes to h3 through the router: the next reconcile (a store change) clears the report.
        try run("ip", ["-n", h1.namespaceName, "route", "add", "10.212.0.0/24", "via", "10.211.0.254"])
        try #require(try h3.docker(["run", "-d", "--name", "delta", "--network", "ov", "bb", "sleep", "1000"])
            .status == 0, "\(logs())")
        #expect(try Self.eventually { try !report(h1).contains("10.212.0.3") }, "\((try? report(h1)) ?? "")")
        #expect(h1.daemonLog().contains("overlay peer reachable over the underlay again"))
        #expect(try Self.eventually { try h1.docker(["exec", "alpha", "ping", "-c", "1", "-W", "1", "charlie"])
            .status == 0 }, "\(logs())")
        #expect(try h1.docker(["network", "rm", "ov2"]).status == 0)
    }
}
