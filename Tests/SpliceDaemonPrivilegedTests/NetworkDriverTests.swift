import Foundation
import Glibc
import SystemKit
import TestSupport
import Testing

/// macvlan networks, `--ipv6` networks, aux addresses, the resolver's non-blocking forwarding and the network
/// events, through the docker CLI against a real `spliced` in a scratch namespace.
@Suite("docker network drivers against spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct NetworkDriverTests {
    private static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    @Test func macvlanContainersPingEachOtherOverTheParent() throws {
        let lab = try DaemonLab("macvlan")
        // The parent: one end of a veth pair made inside the lab namespace (its peer up, so it has carrier).
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "link", "add", "mvpar", "type", "veth", "peer", "name",
                                 "mvpeer"])
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "link", "set", "mvpar", "up"])
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "link", "set", "mvpeer", "up"])

        let missing = try lab.docker(["network", "create", "-d", "macvlan", "--subnet", "10.220.0.0/24", "-o",
                                      "parent=nosuch0", "mvbad"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("-o parent interface was not found on the host: nosuch0"), "\(missing.stderr)")
        let badMode = try lab.docker(["network", "create", "-d", "macvlan", "--subnet", "10.220.0.0/24", "-o",
                                      "parent=mvpar", "-o", "macvlan_mode=sideways", "mvbad"])
        #expect(badMode.stderr.contains("macvlan mode 'sideways' is not valid"), "\(badMode.stderr)")
        let noParent = try lab.docker(["network", "create", "-d", "macvlan", "--subnet", "10.220.0.0/24", "mvbad"])
        #expect(noParent.stderr.contains("-o parent=INTERFACE"), "\(noParent.stderr)")
        #expect(!(try lab.docker(["network", "ls"]).stdout.contains("mvbad")))

        let created = try lab.docker(["network", "create", "-d", "macvlan", "--subnet", "10.220.0.0/24", "--gateway",
                                      "10.220.0.254", "-o", "parent=mvpar", "mvnet"])
        #expect(created.status == 0, "\(created.stderr)\n\(lab.daemonLog())")
        let driver = try lab.docker(["network", "inspect", "-f", "{{.Driver}} {{.Options.parent}}", "mvnet"])
        #expect(Self.trimmed(driver.stdout) == "macvlan mvpar")
        let second = try lab.docker(["network", "create", "-d", "macvlan", "--subnet", "10.221.0.0/24", "-o",
                                     "parent=mvpar", "mvnet2"])
        #expect(second.stderr.contains("is already using parent interface mvpar"), "\(second.stderr)")

        #expect(try lab.docker(["run", "-d", "--name", "mva", "--network", "mvnet", "bb", "sleep", "300"]).status == 0)
        #expect(try lab.docker(["run", "-d", "--name", "mvb", "--network", "mvnet", "bb", "sleep", "300"]).status == 0)
        let address = try lab.docker(["inspect", "-f", "{{.NetworkSettings.Networks.mvnet.IPAddress}}", "mvb"])
        #expect(Self.trimmed(address.stdout) == "10.220.0.2" || Self.trimmed(address.stdout) == "10.220.0.3")
        // iproute2 in the container's namespace (busybox ip has no -d): a macvlan child of the parent.
        let pid = Self.trimmed(try lab.docker(["inspect", "-f", "{{.State.Pid}}", "mva"]).stdout)
        let link = try run("/usr/bin/nsenter", ["--net=/proc/\(pid)/ns/net", "ip", "-d", "link", "show", "eth0"])
        #expect(link.contains("macvlan mode bridge"), "\(link)")
        let route = try lab.docker(["exec", "mva", "ip", "route"])
        #expect(route.stdout.contains("default via 10.220.0.254"), "\(route.stdout)")
        let ping = try lab.docker(["exec", "mva", "ping", "-c", "1", "-W", "2", Self.trimmed(address.stdout)])
        #expect(ping.status == 0, "\(ping.stdout)\(ping.stderr)")
        // The embedded DNS works on macvlan networks too.
        let byName = try lab.docker(["exec", "mva", "ping", "-c", "1", "-W", "2", "mvb"])
        #expect(byName.status == 0, "\(byName.stdout)\(byName.stderr)")

        // disconnect takes the child away at once; rm leaves the parent alone.
        #expect(try lab.docker(["network", "disconnect", "mvnet", "mvb"]).status == 0)
        let gone = try lab.docker(["exec", "mvb", "ip", "link", "show", "eth0"])
        #expect(gone.status != 0, "\(gone.stdout)")
        #expect(try lab.docker(["rm", "-f", "mva", "mvb"]).status == 0)
        #expect(try lab.docker(["network", "rm", "mvnet"]).status == 0)
        let parent = try run("/usr/sbin/ip", ["-n", lab.namespaceName, "-o", "link", "show", "mvpar"])
        #expect(parent.contains("mvpar"))
        let children = try run("/usr/sbin/ip", ["-n", lab.namespaceName, "-o", "link", "show", "type", "macvlan"])
        #expect(Self.trimmed(children).isEmpty, "\(children)")
    }

    @Test func ipv6NetworkContainersPing6EachOtherByName() throws {
        let lab = try DaemonLab("ipv6")
        let noSubnet = try lab.docker(["network", "create", "--ipv6", "v6bad"])
        #expect(noSubnet.status != 0)
        #expect(noSubnet.stderr.contains("--ipv6 needs an IPv6 subnet"), "\(noSubnet.stderr)")
        let created = try lab.docker(["network", "create", "--ipv6", "--subnet", "10.223.0.0/24", "--subnet",
                                      "fd00:223::/64", "v6net"])
        #expect(created.status == 0, "\(created.stderr)\n\(lab.daemonLog())")
        let overlap = try lab.docker(["network", "create", "--ipv6", "--subnet", "fd00:223::/80", "v6dup"])
        #expect(overlap.stderr.contains("Pool overlaps"), "\(overlap.stderr)")
        let inspect = try lab.docker(["network", "inspect", "-f",
                                      "{{.EnableIPv6}}{{range .IPAM.Config}} {{.Subnet}}@{{.Gateway}}{{end}}", "v6net"])
        #expect(Self.trimmed(inspect.stdout) == "true 10.223.0.0/24@10.223.0.1 fd00:223::/64@fd00:223::1",
                "\(inspect.stdout)")

        #expect(try lab.docker(["run", "-d", "--name", "six1", "--network", "v6net", "bb", "sleep", "300"]).status == 0)
        #expect(try lab.docker(["run", "-d", "--name", "six2", "--network", "v6net", "--ip6", "fd00:223::99", "bb",
                                "sleep", "300"]).status == 0)
        let first = try lab.docker(["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.GlobalIPv6Address}}/"
                                    + "{{.GlobalIPv6PrefixLen}} {{.IPv6Gateway}}{{end}}", "six1"])
        #expect(Self.trimmed(first.stdout) == "fd00:223::2/64 fd00:223::1", "\(first.stdout)")
        let second = try lab.docker(["inspect", "-f", "{{.NetworkSettings.Networks.v6net.GlobalIPv6Address}}", "six2"])
        #expect(Self.trimmed(second.stdout) == "fd00:223::99")
        let members = try lab.docker(["network", "inspect", "-f", "{{range .Containers}}{{.IPv6Address}} {{end}}",
                                      "v6net"])
        #expect(members.stdout.contains("fd00:223::2/64") && members.stdout.contains("fd00:223::99/64"),
                "\(members.stdout)")
        let route = try lab.docker(["exec", "six1", "ip", "-6", "route"])
        #expect(route.stdout.contains("default via fd00:223::1"), "\(route.stdout)")

        // AAAA from the embedded resolver, then ping6 by name both ways.
        let lookup = try lab.docker(["exec", "six1", "nslookup", "-type=AAAA", "six2"])
        #expect(lookup.stdout.contains("fd00:223::99"), "\(lookup.stdout)\(lookup.stderr)")
        let ping = try lab.docker(["exec", "six1", "ping6", "-c", "1", "-W", "2", "six2"])
        #expect(ping.status == 0, "\(ping.stdout)\(ping.stderr)")
        let back = try lab.docker(["exec", "six2", "ping6", "-c", "1", "-W", "2", "six1"])
        #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
        // The gateway (the bridge) answers too, and IPv4 still works beside it.
        let gateway = try lab.docker(["exec", "six1", "ping6", "-c", "1", "-W", "2", "fd00:223::1"])
        #expect(gateway.status == 0, "\(gateway.stdout)\(gateway.stderr)")
        let four = try lab.docker(["exec", "six1", "ping", "-c", "1", "-W", "2", "10.223.0.3"])
        #expect(four.status == 0, "\(four.stdout)\(four.stderr)")

        let taken = try lab.docker(["run", "--rm", "--network", "v6net", "--ip6", "fd00:223::99", "bb", "true"])
        #expect(taken.status != 0)
        #expect(taken.stderr.contains("Address already in use"), "\(taken.stderr)")
        let outside = try lab.docker(["run", "--rm", "--network", "v6net", "--ip6", "fd00:999::5", "bb", "true"])
        #expect(outside.stderr.contains("does not belong to any of this network's subnets"), "\(outside.stderr)")
        // A published port answers on the host's IPv6 addresses too (DNAT to the container's IPv6 address).
        #expect(try lab.docker(["run", "-d", "--name", "web6", "--network", "v6net", "-p", "8080:80", "bb", "sh", "-c",
                                "echo six > /tmp/i && httpd -f -p 80 -h /tmp"]).status == 0)
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "addr", "add", "fd99::1/128", "dev", "lo"])
        let fetched = try run("/usr/bin/nsenter", ["--net=/run/netns/\(lab.namespaceName)", "curl", "-g", "-s",
                                                   "--retry", "5", "--retry-connrefused", "--max-time", "5",
                                                   "http://[fd99::1]:8080/i"])
        #expect(Self.trimmed(fetched) == "six", "\(fetched)")
        let nat = try run("/usr/bin/nsenter", ["--net=/run/netns/\(lab.namespaceName)", "nft", "list", "chain", "inet",
                                               "splice", "postrouting6"])
        #expect(nat.contains("ip6 saddr fd00:223::/64"), "\(nat)")
    }

    @Test func defaultBridgeWithIPv6() throws {
        let lab = try DaemonLab("bridge6", daemonArguments: ["--ipv6", "--fixed-cidr-v6", "fd00:bb::/64"])
        #expect(try lab.docker(["run", "-d", "--name", "d6a", "bb", "sleep", "300"]).status == 0)
        #expect(try lab.docker(["run", "-d", "--name", "d6b", "bb", "sleep", "300"]).status == 0)
        let top = try lab.docker(["inspect", "-f", "{{.NetworkSettings.GlobalIPv6Address}}/"
                                  + "{{.NetworkSettings.GlobalIPv6PrefixLen}} {{.NetworkSettings.IPv6Gateway}}", "d6a"])
        #expect(Self.trimmed(top.stdout) == "fd00:bb::2/64 fd00:bb::1", "\(top.stdout)")
        let bridge = try lab.docker(["network", "inspect", "-f",
                                     "{{.EnableIPv6}}{{range .IPAM.Config}} {{.Subnet}}{{end}}", "bridge"])
        #expect(bridge.stdout.contains("true") && bridge.stdout.contains("fd00:bb::/64"), "\(bridge.stdout)")
        let ping = try lab.docker(["exec", "d6a", "ping6", "-c", "1", "-W", "2", "fd00:bb::3"])
        #expect(ping.status == 0, "\(ping.stdout)\(ping.stderr)")
        let gateway = try lab.docker(["exec", "d6b", "ping6", "-c", "1", "-W", "2", "fd00:bb::1"])
        #expect(gateway.status == 0, "\(gateway.stdout)\(gateway.stderr)")
    }

    @Test func auxAddressesAreNotHandedOut() throws {
        let lab = try DaemonLab("aux")
        let created = try lab.docker(["network", "create", "--subnet", "10.224.0.0/29", "--aux-address",
                                      "router=10.224.0.2", "--aux-address", "printer=10.224.0.3", "auxn"])
        #expect(created.status == 0, "\(created.stderr)")
        let outside = try lab.docker(["network", "create", "--subnet", "10.225.0.0/29", "--aux-address",
                                      "far=10.9.9.9", "auxbad"])
        #expect(outside.stderr.contains("no matching subnet for aux-address 10.9.9.9"), "\(outside.stderr)")
        #expect(try lab.docker(["run", "-d", "--name", "ax", "--network", "auxn", "bb", "sleep", "300"]).status == 0)
        let address = try lab.docker(["inspect", "-f", "{{.NetworkSettings.Networks.auxn.IPAddress}}", "ax"])
        #expect(Self.trimmed(address.stdout) == "10.224.0.4")
        let reserved = try lab.docker(["run", "--rm", "--network", "auxn", "--ip", "10.224.0.2", "bb", "true"])
        #expect(reserved.status != 0, "\(reserved.stdout)")
        #expect(try lab.docker(["rm", "-f", "ax"]).status == 0)
        #expect(try lab.docker(["network", "rm", "auxn"]).status == 0)
        // The pool went with the network: the same subnet can be created again.
        #expect(try lab.docker(["network", "create", "--subnet", "10.224.0.0/29", "auxn"]).status == 0)
        // An IPv6 aux address is skipped too.
        let six = try lab.docker(["network", "create", "--ipv6", "--subnet", "10.228.0.0/29", "--subnet",
                                  "fd00:228::/64", "--aux-address", "r6=fd00:228::2", "aux6"])
        #expect(six.status == 0, "\(six.stderr)")
        #expect(try lab.docker(["run", "-d", "--name", "ax6", "--network", "aux6", "bb", "sleep", "300"]).status == 0)
        let address6 = try lab.docker(["inspect", "-f", "{{.NetworkSettings.Networks.aux6.GlobalIPv6Address}}", "ax6"])
        #expect(Self.trimmed(address6.stdout) == "fd00:228::3")
    }

    @Test func resolverAnswersWhileAnUpstreamQueryHangs() throws {
        let lab = try DaemonLab("dnshang")
        // The fake upstream listens on 127.0.0.77 in the lab namespace: the daemon forwards from there.
        // It never answers `hang*` names.
        let upstream = try FakeUpstreamDNS(namespace: lab.namespaceName, address: "127.0.0.77", hangPrefix: "hang")
        defer { withExtendedLifetime(upstream) {} }
        #expect(try lab.docker(["network", "create", "--subnet", "10.226.0.0/24", "hangnet"]).status == 0)
        #expect(try lab.docker(["run", "-d", "--name", "local1", "--network", "hangnet", "bb", "sleep", "300"])
            .status == 0)
        // Twenty queries the upstream never answers are in flight (each would hold a blocking resolver for its
        // whole timeout, 40 s in all); the local name and a forwarded one are answered all the same. busybox
        // nslookup gives up after its own retries, so an answer at all means nothing waited behind the hangs.
        let script = "for i in $(seq 1 20); do nslookup hang$i.example >/dev/null 2>&1 & done; sleep 0.5;"
            + " nslookup local1; nslookup ext.example"
        let lookups = try lab.docker(["run", "--rm", "--network", "hangnet", "--dns", "127.0.0.77", "bb", "sh", "-c",
                                      script])
        #expect(lookups.stdout.contains("10.226.0.2"), "\(lookups.stdout)\(lookups.stderr)")
        #expect(lookups.stdout.contains("198.19.0.77"), "\(lookups.stdout)\(lookups.stderr)")
    }

    @Test func networkEventsNameTheRealNetwork() throws {
        let lab = try DaemonLab("netev")
        let since = String(Int(Date().timeIntervalSince1970) - 1)
        let id = Self.trimmed(try lab.docker(["network", "create", "--subnet", "10.227.0.0/24", "evnet"]).stdout)
        #expect(id.count == 64)
        #expect(try lab.docker(["run", "--rm", "--network", "evnet", "bb", "true"]).status == 0)
        #expect(try lab.docker(["run", "-d", "--name", "evc", "bb", "sleep", "300"]).status == 0)
        #expect(try lab.docker(["network", "connect", "evnet", "evc"]).status == 0)
        #expect(try lab.docker(["network", "disconnect", "evnet", "evc"]).status == 0)
        let bridgeID = Self.trimmed(try lab.docker(["network", "inspect", "-f", "{{.Id}}", "bridge"]).stdout)
        let events = try lab.docker(["events", "--since", since, "--until",
                                     String(Int(Date().timeIntervalSince1970) + 1), "--filter", "type=network",
                                     "--format", "{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}}"
                                        + " {{.Actor.Attributes.type}}"])
        let lines = events.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0 == "connect \(id) evnet bridge" }.count == 2, "\(events.stdout)")
        #expect(lines.filter { $0 == "disconnect \(id) evnet bridge" }.count == 2, "\(events.stdout)")
        #expect(lines.contains("connect \(bridgeID) bridge bridge"), "\(events.stdout)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(
        atPath: DaemonLab.binary("splice", environment: "SPLICE_BIN")), "the splice client is not built"))
    func spliceCreatesIPv6NetworksAndRunsWithIP6() throws {
        let lab = try DaemonLab("splice6")
        let created = try lab.splice(["network", "create", "--ipv6", "--subnet", "10.232.0.0/24", "--subnet",
                                      "fd00:232::/64", "--gateway", "fd00:232::fe", "sp6"])
        #expect(created.status == 0, "\(created.stderr)")
        let format = "{{.EnableIPv6}}{{range .IPAM.Config}} {{.Subnet}}@{{.Gateway}}{{end}}"
        let inspected = try lab.docker(["network", "inspect", "-f", format, "sp6"])
        #expect(Self.trimmed(inspected.stdout) == "true 10.232.0.0/24@10.232.0.1 fd00:232::/64@fd00:232::fe",
                "\(inspected.stdout)")
        let run = try lab.splice(["run", "-d", "--name", "sp6c", "--network", "sp6", "--ip6", "fd00:232::7", "bb",
                                  "sleep", "300"])
        #expect(run.status == 0, "\(run.stderr)")
        let address = try lab.docker(["inspect", "-f", "{{.NetworkSettings.Networks.sp6.GlobalIPv6Address}}", "sp6c"])
        #expect(Self.trimmed(address.stdout) == "fd00:232::7")
        // (splice's templates have no range yet: the field alone.)
        let spliceInspected = try lab.splice(["network", "inspect", "-f", "{{.EnableIPv6}}", "sp6"])
        #expect(Self.trimmed(spliceInspected.stdout) == "true", "\(spliceInspected.stdout)\(spliceInspected.stderr)")
    }

    /// docker-py: an `--ipv6` network with both pools and a static IPv6 address, and a macvlan network.
    static let pythonScript = """
        import docker
        c = docker.from_env(version="auto")
        ipam = docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(subnet="10.229.0.0/24"),
                                                     docker.types.IPAMPool(subnet="fd00:229::/64")])
        n = c.networks.create("py6", driver="bridge", ipam=ipam, enable_ipv6=True)
        print("ipv6", n.attrs["EnableIPv6"], [p["Subnet"] for p in n.attrs["IPAM"]["Config"]])
        ct = c.containers.create("bb", ["sleep", "30"], name="py6c")
        n.connect(ct, ipv6_address="fd00:229::42")
        ct.start()
        ct.reload()
        print("addr", ct.attrs["NetworkSettings"]["Networks"]["py6"]["GlobalIPv6Address"])
        pool = docker.types.IPAMPool(subnet="10.230.0.0/24")
        m = c.networks.create("pymv", driver="macvlan", options={"parent": "pypar"},
                              ipam=docker.types.IPAMConfig(pool_configs=[pool]))
        print("macvlan", c.networks.get("pymv").attrs["Driver"], c.networks.get("pymv").attrs["Options"]["parent"])
        ct.remove(force=True)
        n.remove()
        m.remove()
        print("left", sorted(x.name for x in c.networks.list()))
        """

    @Test(.enabled(if: DockerPy.isInstalled, "docker-py is not installed"))
    func dockerPyIPv6AndMacvlan() throws {
        let lab = try DaemonLab("drvpy")
        try run("/usr/sbin/ip", ["-n", lab.namespaceName, "link", "add", "pypar", "type", "veth", "peer", "name",
                                 "pypeer"])
        let result = try runStatus("/usr/bin/env", ["DOCKER_HOST=unix://\(lab.socket)", "/usr/bin/timeout", "60",
                                                    "python3", "-c", Self.pythonScript])
        #expect(result.status == 0, "\(result.stderr)\n\(lab.daemonLog())")
        #expect(result.stdout.split(separator: "\n").map(String.init) == [
            "ipv6 True ['10.229.0.0/24', 'fd00:229::/64']", "addr fd00:229::42", "macvlan macvlan pypar",
            "left ['bridge', 'host', 'none']",
        ], "\(result.stdout)\(result.stderr)")
    }
}
