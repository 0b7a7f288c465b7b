import Foundation
import Glibc
import SystemKit
import TestSupport
import Testing

/// User-defined networks through the docker CLI, docker-py and docker-compose v1 against a real `spliced`:
/// each network its own bridge, reachable from its own containers and not from the other's; connect adds an
/// `ethN`; bad input gets dockerd's error and leaves nothing behind.
@Suite("docker network against spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct NetworkCommandTests {
    /// `docker inspect` of one network's address of a container.
    static func address(_ lab: DaemonLab, _ container: String, on network: String) throws -> String {
        let result = try lab.docker(["inspect", "-f", "{{(index .NetworkSettings.Networks \"\(network)\").IPAddress}}",
                                     container])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The lab namespace's interface names.
    static func hostLinks(_ lab: DaemonLab) throws -> [String] {
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "-o", "link"]).split(separator: "\n").compactMap { line in
            line.split(separator: ":", maxSplits: 2).dropFirst().first
                .map { String($0.trimmingCharacters(in: .whitespaces).split(separator: "@")[0]) }
        }
    }

    @Test func twoNetworksIsolatedConnectAndRemove() throws {
        let lab = try DaemonLab("nets")
        let created = try lab.docker(["network", "create", "--subnet", "10.201.0.0/24", "--label", "a=b", "n1"])
        #expect(created.status == 0, "\(created.stderr)\n\(lab.daemonLog())")
        #expect(created.stdout.trimmingCharacters(in: .whitespacesAndNewlines).count == 64)
        #expect(try lab.docker(["network", "create", "n2"]).status == 0)
        let names = try lab.docker(["network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}"])
        #expect(names.stdout.split(separator: "\n") == ["bridge bridge local", "host host local", "n1 bridge local",
                                                       "n2 bridge local", "none null local"], "\(names.stdout)")
        let custom = try lab.docker(["network", "ls", "-q", "-f", "type=custom", "-f", "label=a=b"])
        #expect(custom.stdout.split(separator: "\n").count == 1, "\(custom.stdout)")
        let subnet = try lab.docker(["network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}",
                                     "n1"])
        #expect(subnet.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "10.201.0.0/24 10.201.0.1")

        #expect(try lab.docker(["run", "-d", "--name", "ca", "--network", "n1", "--network-alias", "web", "bb",
                                "sleep", "300"]).status == 0)
        #expect(try lab.docker(["run", "-d", "--name", "cb", "--net", "n2", "bb", "sleep", "300"]).status == 0)
        let addressA = try Self.address(lab, "ca", on: "n1")
        let addressB = try Self.address(lab, "cb", on: "n2")
        #expect(addressA == "10.201.0.2")
        #expect(!addressB.isEmpty && !addressB.hasPrefix("10.201."))
        let listed = try lab.docker(["ps", "--format", "{{.Names}} {{.Networks}}"])
        #expect(Set(listed.stdout.split(separator: "\n")) == ["ca n1", "cb n2"], "\(listed.stdout)")
        let top = try lab.docker(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", "ca"])
        #expect(top.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let aliases = try lab.docker(["inspect", "-f", "{{json (index .NetworkSettings.Networks \"n1\").Aliases}}", "ca"])
        #expect(aliases.stdout.contains("\"web\""), "\(aliases.stdout)")

        // Each network reaches its own containers, not the other's.
        let own = try lab.docker(["run", "--rm", "--network", "n1", "bb", "ping", "-c", "1", "-W", "2", addressA])
        #expect(own.status == 0, "\(own.stdout)\(own.stderr)")
        let other = try lab.docker(["run", "--rm", "--network", "n1", "bb", "ping", "-c", "1", "-W", "2", addressB])
        #expect(other.status != 0, "\(other.stdout)")

        // network inspect lists the attached container.
        let members = try lab.docker(["network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}",
                                      "n1"])
        #expect(members.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ca 10.201.0.2/24")

        // connect adds eth1 at once; then ca reaches cb.
        let connect = try lab.docker(["network", "connect", "--alias", "other", "n2", "ca"])
        #expect(connect.status == 0, "\(connect.stderr)\n\(lab.daemonLog())")
        let links = try lab.docker(["exec", "ca", "ip", "-o", "link"])
        #expect(links.stdout.contains("eth1"), "\(links.stdout)")
        #expect(try lab.docker(["exec", "ca", "ping", "-c", "1", "-W", "2", addressB]).status == 0)

        // A network in use cannot be removed.
        let inUse = try lab.docker(["network", "rm", "n2"])
        #expect(inUse.status != 0)
        #expect(inUse.stderr.contains("error while removing network: network n2 id "), "\(inUse.stderr)")
        #expect(inUse.stderr.contains("has active endpoints"), "\(inUse.stderr)")
        let predefined = try lab.docker(["network", "rm", "bridge"])
        #expect(predefined.stderr.contains("bridge is a pre-defined network and cannot be removed"),
                "\(predefined.stderr)")

        // disconnect removes eth1.
        #expect(try lab.docker(["network", "disconnect", "n2", "ca"]).status == 0)
        #expect(!(try lab.docker(["exec", "ca", "ip", "-o", "link"]).stdout.contains("eth1")))

        // Removing the containers releases their endpoints; then the networks go, bridges included.
        #expect(try lab.docker(["rm", "-f", "ca", "cb"]).status == 0)
        let removed = try lab.docker(["network", "rm", "n1", "n2"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.split(separator: "\n") == ["n1", "n2"])
        #expect(!(try Self.hostLinks(lab)).contains { $0.hasPrefix("br-") || $0.hasPrefix("vsp") })
    }

    @Test func badInputGetsDockersErrorsAndLeavesNothing() throws {
        let lab = try DaemonLab("netbad")
        #expect(try lab.docker(["network", "create", "--subnet", "10.202.0.0/24", "n1"]).status == 0)
        let linksBefore = try Self.hostLinks(lab)

        let overlap = try lab.docker(["network", "create", "--subnet", "10.202.0.128/25", "n2"])
        #expect(overlap.status != 0)
        #expect(overlap.stderr.contains("Pool overlaps with other one on this address space"), "\(overlap.stderr)")
        let driver = try lab.docker(["network", "create", "-d", "nosuchdriver", "n3"])
        #expect(driver.stderr.contains("plugin \"nosuchdriver\" not found"), "\(driver.stderr)")
        let taken = try lab.docker(["network", "create", "n1"])
        #expect(taken.stderr.contains("network with name n1 already exists"), "\(taken.stderr)")
        let outside = try lab.docker(["run", "--rm", "--network", "n1", "--ip", "10.9.9.9", "bb", "true"])
        #expect(outside.status != 0)
        #expect(outside.stderr.contains("10.9.9.9"), "\(outside.stderr)")
        let missing = try lab.docker(["run", "--rm", "--network", "nosuch", "bb", "true"])
        #expect(missing.status == 125)
        #expect(missing.stderr.contains("network nosuch not found"), "\(missing.stderr)")

        let names = try lab.docker(["network", "ls", "--format", "{{.Name}}"])
        #expect(names.stdout.split(separator: "\n") == ["bridge", "host", "n1", "none"], "\(names.stdout)")
        #expect(try Self.hostLinks(lab) == linksBefore)
        #expect(try lab.docker(["ps", "-aq"]).stdout.isEmpty)
        let pruned = try lab.docker(["network", "prune", "-f"])
        #expect(pruned.stdout.contains("Deleted Networks:\nn1"), "\(pruned.stdout)")
    }

    @Test func staticAddressAndDaemonRestart() throws {
        let lab = try DaemonLab("netrestart")
        #expect(try lab.docker(["network", "create", "--subnet", "10.203.0.0/24", "--internal", "n1"]).status == 0)
        #expect(try lab.docker(["run", "-d", "--name", "sc", "--network", "n1", "--ip", "10.203.0.50", "bb", "sleep",
                                "300"]).status == 0)
        #expect(try Self.address(lab, "sc", on: "n1") == "10.203.0.50")
        let internalFlag = try lab.docker(["network", "inspect", "-f", "{{.Internal}}", "n1"])
        #expect(internalFlag.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "true")
        lab.stopDaemon()
        try lab.startDaemon()
        #expect(try Self.address(lab, "sc", on: "n1") == "10.203.0.50")
        // The embedded DNS answers again for the container that kept running.
        let lookup = try lab.docker(["run", "--rm", "--network", "n1", "bb", "nslookup", "sc"])
        #expect(lookup.stdout.contains("10.203.0.50"), "\(lookup.stdout)\(lookup.stderr)")
        #expect(try lab.docker(["restart", "-t", "0", "sc"]).status == 0)
        #expect(try Self.address(lab, "sc", on: "n1") == "10.203.0.50")
        let ping = try lab.docker(["run", "--rm", "--network", "n1", "bb", "ping", "-c", "1", "-W", "2",
                                   "10.203.0.50"])
        #expect(ping.status == 0, "\(ping.stdout)\(ping.stderr)")
    }

    @Test func embeddedDNSAnswersNamesOnSharedNetworksOnly() throws {
        let lab = try DaemonLab("netdns")
        #expect(try lab.docker(["network", "create", "--subnet", "10.205.0.0/24", "dn1"]).status == 0)
        #expect(try lab.docker(["network", "create", "--subnet", "10.206.0.0/24", "dn2"]).status == 0)
        #expect(try lab.docker(["run", "-d", "--name", "web1", "--network", "dn1", "--network-alias", "www", "bb",
                                "sleep", "300"]).status == 0)
        let resolv = try lab.docker(["run", "--rm", "--network", "dn1", "bb", "cat", "/etc/resolv.conf"])
        #expect(resolv.stdout.contains("nameserver 127.0.0.11"), "\(resolv.stdout)")
        #expect(resolv.stdout.contains("options ndots:0"), "\(resolv.stdout)")
        let shortID = try lab.docker(["inspect", "-f", "{{.Id}}", "web1"]).stdout.prefix(12)
        for name in ["web1", "www", String(shortID), "web1.dn1"] {
            let lookup = try lab.docker(["run", "--rm", "--network", "dn1", "bb", "nslookup", name])
            #expect(lookup.stdout.contains("10.205.0.2"), "\(name): \(lookup.stdout)\(lookup.stderr)")
        }
        let other = try lab.docker(["run", "--rm", "--network", "dn2", "bb", "nslookup", "web1"])
        #expect(!other.stdout.contains("10.205.0.2"), "\(other.stdout)")
        // connect makes the name visible on dn2 at once, with the dn2 address.
        #expect(try lab.docker(["network", "connect", "dn2", "web1"]).status == 0)
        let connected = try lab.docker(["run", "--rm", "--network", "dn2", "bb", "nslookup", "web1"])
        #expect(connected.stdout.contains("10.206.0."), "\(connected.stdout)")
        // rename is answered at once.
        #expect(try lab.docker(["rename", "web1", "web2"]).status == 0)
        let renamed = try lab.docker(["run", "--rm", "--network", "dn1", "bb", "nslookup", "web2"])
        #expect(renamed.stdout.contains("10.205.0.2"), "\(renamed.stdout)")
        let bridge = try lab.docker(["run", "--rm", "bb", "cat", "/etc/resolv.conf"])
        #expect(!bridge.stdout.contains("127.0.0.11"), "\(bridge.stdout)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: DaemonLab.binary("splice", environment: "SPLICE_BIN")),
                   "the splice client is not built"))
    func spliceNetworkCommandsPrintAsDocker() throws {
        let lab = try DaemonLab("netsplice")
        let created = try lab.splice(["network", "create", "--subnet", "10.207.0.0/24", "--label", "k=v", "sn1"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.trimmingCharacters(in: .whitespacesAndNewlines).count == 64)
        #expect(try lab.splice(["network", "ls"]).stdout == (try lab.docker(["network", "ls"])).stdout)
        #expect(try lab.splice(["network", "ls", "-q", "-f", "label=k=v"]).stdout
                == (try lab.docker(["network", "ls", "-q", "-f", "label=k=v"])).stdout)
        let format = "{{.Name}} {{.Internal}} {{json .Labels}}"
        #expect(try lab.splice(["network", "inspect", "-f", format, "sn1"]).stdout
                == (try lab.docker(["network", "inspect", "-f", format, "sn1"])).stdout)
        let run = try lab.splice(["run", "-d", "--name", "sc1", "--network", "sn1", "--ip", "10.207.0.9",
                                  "--network-alias", "api", "bb", "sleep", "300"])
        #expect(run.status == 0, "\(run.stderr)")
        let settings = try lab.docker(["inspect", "-f",
                                       "{{with index .NetworkSettings.Networks \"sn1\"}}{{.IPAddress}} {{index .Aliases 0}}{{end}}",
                                       "sc1"])
        #expect(settings.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "10.207.0.9 api")
        let refused = try lab.splice(["run", "--rm", "--ip", "172.18.0.50", "bb", "true"])
        #expect(refused.status == 125)
        #expect(refused.stderr.contains("user specified IP address is supported on user defined networks only"),
                "\(refused.stderr)")
        #expect(try lab.splice(["network", "connect", "bridge", "sc1"]).status == 0)
        #expect(try lab.docker(["exec", "sc1", "ip", "-o", "link"]).stdout.contains("eth1"))
        #expect(try lab.splice(["network", "disconnect", "bridge", "sc1"]).status == 0)
        let inUse = try lab.splice(["network", "rm", "sn1"])
        #expect(inUse.status == 1)
        #expect(inUse.stderr.contains("has active endpoints"), "\(inUse.stderr)")
        #expect(try lab.docker(["rm", "-f", "sc1"]).status == 0)
        let pruned = try lab.splice(["network", "prune", "-f"])
        #expect(pruned.stdout == "Deleted Networks:\nsn1\n\n", "\(pruned.stdout)")
        let none = try lab.splice(["network", "rm", "sn1"])
        #expect(none.status == 1)
        #expect(none.stderr.contains("network sn1 not found"), "\(none.stderr)")
    }

    @Test func internalNetworkHasNoEgress() throws {
        let lab = try DaemonLab("netint")
        // An "outside" host: a namespace behind a veth pair from the lab's host namespace.
        let outside = "spd\(getpid())-outside"
        _ = try NetworkNamespace.create(named: outside)
        defer { try? NetworkNamespace.delete(named: outside) }
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "link", "add", "upl", "type", "veth", "peer", "name", "upo",
                                 "netns", outside])
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "addr", "add", "198.18.0.1/24", "dev", "upl"])
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "link", "set", "upl", "up"])
        try run("/usr/sbin/ip", ["-n", outside, "addr", "add", "198.18.0.2/24", "dev", "upo"])
        try run("/usr/sbin/ip", ["-n", outside, "link", "set", "upo", "up"])
        // A route back to the internal subnet: only the forward rule, not missing NAT, can stop the ping.
        try run("/usr/sbin/ip", ["-n", outside, "route", "add", "10.209.0.0/24", "via", "198.18.0.1"])
        #expect(try lab.docker(["network", "create", "--subnet", "10.208.0.0/24", "open"]).status == 0)
        #expect(try lab.docker(["network", "create", "--subnet", "10.209.0.0/24", "--internal", "closed"]).status == 0)
        let open = try lab.docker(["run", "--rm", "--network", "open", "bb", "ping", "-c", "1", "-W", "2", "198.18.0.2"])
        #expect(open.status == 0, "\(open.stdout)\(open.stderr)")
        let closed = try lab.docker(["run", "--rm", "--network", "closed", "bb", "ping", "-c", "1", "-W", "2",
                                     "198.18.0.2"])
        #expect(closed.status != 0, "\(closed.stdout)")
        // Inside the internal network, containers still reach each other.
        #expect(try lab.docker(["run", "-d", "--name", "in1", "--network", "closed", "bb", "sleep", "300"]).status == 0)
        let inside = try lab.docker(["run", "--rm", "--network", "closed", "bb", "ping", "-c", "1", "-W", "2",
                                     "10.209.0.2"])
        #expect(inside.status == 0, "\(inside.stdout)\(inside.stderr)")
    }

    @Test func embeddedDNSForwardsOtherNamesToTheContainersResolver() throws {
        let lab = try DaemonLab("netfwd")
        // An upstream resolver: a small Python one in an "outside" namespace behind a veth pair.
        let outside = "spd\(getpid())-dnsup"
        _ = try NetworkNamespace.create(named: outside)
        defer { try? NetworkNamespace.delete(named: outside) }
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "link", "add", "dnl", "type", "veth", "peer", "name", "dno",
                                 "netns", outside])
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "addr", "add", "198.19.0.1/24", "dev", "dnl"])
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "link", "set", "dnl", "up"])
        try run("/usr/sbin/ip", ["-n", outside, "addr", "add", "198.19.0.2/24", "dev", "dno"])
        try run("/usr/sbin/ip", ["-n", outside, "link", "set", "dno", "up"])
        try run("/usr/sbin/ip", ["-n", outside, "link", "set", "lo", "up"])
        let upstream = try FakeUpstreamDNS(namespace: outside, address: "198.19.0.2")
        defer { withExtendedLifetime(upstream) {} }
        #expect(try lab.docker(["network", "create", "--subnet", "10.210.0.0/24", "fwd"]).status == 0)
        let forwarded = try lab.docker(["run", "--rm", "--network", "fwd", "--dns", "198.19.0.2", "bb", "nslookup",
                                        "ext.example"])
        #expect(forwarded.stdout.contains("198.19.0.77"), "\(forwarded.stdout)\(forwarded.stderr)")
        let resolv = try lab.docker(["run", "--rm", "--network", "fwd", "--dns", "198.19.0.2", "bb", "cat",
                                     "/etc/resolv.conf"])
        #expect(resolv.stdout.contains("nameserver 127.0.0.11"), "\(resolv.stdout)")
        #expect(!resolv.stdout.contains("198.19.0.2"), "\(resolv.stdout)")
    }

    static let pythonScript = """
        import docker
        c = docker.from_env(version="auto")
        ipam = docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(subnet="10.204.0.0/24")])
        n = c.networks.create("pyn", driver="bridge", ipam=ipam, labels={"cap": "py"})
        print("get", c.networks.get(n.id).name, c.networks.get("pyn").attrs["IPAM"]["Config"][0]["Subnet"])
        print("list", sorted(x.name for x in c.networks.list(filters={"label": ["cap=py"]})))
        ct = c.containers.run("bb", ["sleep", "30"], detach=True, name="pyc")
        n.connect(ct, aliases=["pyweb"])
        ct.reload()
        print("nets", sorted(ct.attrs["NetworkSettings"]["Networks"].keys()))
        print("addr", ct.attrs["NetworkSettings"]["Networks"]["pyn"]["IPAddress"])
        n.reload()
        print("members", [v["Name"] for v in n.attrs["Containers"].values()])
        n.disconnect(ct)
        ct.remove(force=True)
        n.remove()
        print("left", sorted(x.name for x in c.networks.list()))
        """

    @Test(.enabled(if: DockerPy.isInstalled, "docker-py is not installed"))
    func dockerPyNetworks() throws {
        let lab = try DaemonLab("netpy")
        let result = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "60",
                                                    "python3", "-c", Self.pythonScript])
        #expect(result.status == 0, "\(result.stderr)\n\(lab.daemonLog())")
        #expect(result.stdout.split(separator: "\n").map(String.init) == [
            "get pyn 10.204.0.0/24", "list ['pyn']", "nets ['bridge', 'pyn']", "addr 10.204.0.2",
            "members ['pyc']", "left ['bridge', 'host', 'none']",
        ], "\(result.stdout)\(result.stderr)")
    }

    static let composeFile = """
        version: "3"
        services:
          web:
            image: bb
            command: ["httpd", "-f", "-p", "8080"]
            ports: ["127.0.0.1:18095:8080"]
            networks: [front, back]
          app:
            image: bb
            command: ["sleep", "300"]
            depends_on: [web]
            networks:
              back:
                aliases: [appsvc]
          plain:
            image: bb
            command: ["sleep", "300"]
        networks:
          front: {}
          back: {}
        """

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-compose"),
                   "docker-compose v1 is not installed (Debian's docker-compose)"))
    func composeProjectWithNetworks() throws {
        let lab = try DaemonLab("netcompose")
        let project = lab.directory + "/proj"
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        try Self.composeFile.write(toFile: project + "/docker-compose.yml", atomically: true, encoding: .utf8)
        func compose(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "120",
                                           "/usr/bin/docker-compose", "-f", project + "/docker-compose.yml", "-p",
                                           "proj"] + arguments)
        }
        let up = try compose(["up", "-d"])
        #expect(up.status == 0, "\(up.stdout)\(up.stderr)\n\(lab.daemonLog())")
        let names = try lab.docker(["network", "ls", "--format", "{{.Name}}"])
        #expect(names.stdout.split(separator: "\n") == ["bridge", "host", "none", "proj_back", "proj_default",
                                                       "proj_front"], "\(names.stdout)")
        let webNets = try lab.docker(["inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
                                      "proj_web_1"])
        #expect(webNets.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "proj_back proj_front",
                "\(webNets.stdout)")
        let appAliases = try lab.docker(["inspect", "-f",
                                         "{{json (index .NetworkSettings.Networks \"proj_back\").Aliases}}", "proj_app_1"])
        #expect(appAliases.stdout.contains("\"appsvc\""), "\(appAliases.stdout)")
        let served = try runStatus("/usr/bin/nsenter", ["--net=/run/netns/\(lab.namespaceName)", "/usr/bin/timeout",
                                                       "5", "curl", "-s", "-o", "/dev/null", "http://127.0.0.1:18095/"])
        #expect(served.status == 0, "\(served.stderr)")
        let down = try compose(["down", "-t", "0"])
        #expect(down.status == 0, "\(down.stdout)\(down.stderr)\n\(lab.daemonLog())")
        let after = try lab.docker(["network", "ls", "--format", "{{.Name}}"])
        #expect(after.stdout.split(separator: "\n") == ["bridge", "host", "none"], "\(after.stdout)")
        #expect(try lab.docker(["ps", "-aq"]).stdout.isEmpty)
    }
}
