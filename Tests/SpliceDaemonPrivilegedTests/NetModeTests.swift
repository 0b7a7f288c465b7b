import Foundation
import Glibc
import TestSupport
import Testing

/// The four `--net` modes, published ports and `pipework` on a Splice container, each checked from inside the
/// container or by real traffic, through the docker CLI against a real `spliced`; then nothing may be left.
@Suite("--net modes, -p traffic and pipework through spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct NetModeTests {
    /// Interface names inside a container, from `ip -o link`.
    static func interfaces(_ lab: DaemonLab, _ arguments: [String]) throws -> [String] {
        let result = try lab.docker(["run", "--rm"] + arguments + ["bb", "ip", "-o", "link"])
        #expect(result.status == 0, "\(result.stderr)\n\(lab.daemonLog())")
        return result.stdout.split(separator: "\n").compactMap { line in
            line.split(separator: ":", maxSplits: 2).dropFirst().first
                .map { String($0.trimmingCharacters(in: .whitespaces).split(separator: "@")[0]) }
        }
    }

    @Test func fourModesSeenFromInside() throws {
        let lab = try DaemonLab("modes")
        // none: only lo.
        #expect(try Self.interfaces(lab, ["--net=none"]) == ["lo"])
        // bridge: lo and eth0 with an address and a default route through splice0.
        #expect(Set(try Self.interfaces(lab, ["--net=bridge"])) == ["lo", "eth0"])
        let route = try lab.docker(["run", "--rm", "bb", "ip", "route"])
        #expect(route.stdout.contains("default via 172.18.0.1 dev eth0"), "\(route.stdout)")
        // host: the daemon's host namespace (the lab's), where splice0 lives.
        #expect(try Self.interfaces(lab, ["--net=host"]).contains("splice0"))
        let published = try lab.docker(["run", "--rm", "--net=host", "-p", "18081:80", "bb", "true"])
        #expect(published.status == 0, "\(published.stderr)")
        #expect(published.stderr.contains("Published ports are discarded when using host network mode"),
                "\(published.stderr)")
        // container:NAME shares the other container's interfaces and address.
        #expect(try lab.docker(["run", "-d", "--name", "first", "bb", "sleep", "60"]).status == 0)
        let firstAddress = try lab.docker(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", "first"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(firstAddress.hasPrefix("172.18.0."))
        let shared = try lab.docker(["run", "--rm", "--net=container:first", "bb", "ip", "-4", "-o", "addr", "show",
                                     "eth0"])
        #expect(shared.stdout.contains("inet \(firstAddress)/"), "\(shared.stdout)\n\(shared.stderr)")
        let hostname = try lab.docker(["run", "--rm", "--net=container:first", "-h", "other", "bb", "true"])
        #expect(hostname.status != 0)
        #expect(hostname.stderr.contains("conflicting options: hostname and the network mode"), "\(hostname.stderr)")
        #expect(try lab.docker(["rm", "-f", "first"]).status == 0)
    }

    @Test func isolationSeenFromInside() throws {
        let lab = try DaemonLab("isolation")
        #expect(try lab.docker(["run", "-d", "--name", "busy", "--net=none", "bb", "sleep", "60"]).status == 0)
        let other = try lab.docker(["run", "--rm", "--net=none", "-h", "probe", "bb", "sh", "-c",
                                    "hostname; ps -o pid,args | grep -c 'sleep 60' ; mount -t tmpfs none /mnt"])
        let lines = other.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "probe", "\(other.stdout)")
        // Only the grep itself matches: the other container's sleep is invisible.
        #expect(lines.dropFirst().first == "1", "\(other.stdout)")
        #expect(other.status != 0)
        #expect(other.stderr.contains("Permission denied") || other.stderr.contains("Operation not permitted"),
                "\(other.stderr)")
        let pid1 = try lab.docker(["exec", "busy", "cat", "/proc/1/cmdline"])
        #expect(pid1.stdout.hasPrefix("sleep"), "\(pid1.stdout) \(pid1.stderr)")
        #expect(try lab.docker(["rm", "-f", "busy"]).status == 0)
    }

    @Test func publishedPortCarriesTraffic() throws {
        let lab = try DaemonLab("ports")
        let start = try lab.docker(["run", "-d", "--name", "web", "-p", "18080:80", "bb", "sh", "-c",
                                    "mkdir -p /www && echo served-by-splice > /www/index.html && httpd -f -p 80 -h /www"])
        #expect(start.status == 0, "\(start.stderr)\n\(lab.daemonLog())")
        let port = try lab.docker(["port", "web"]).stdout
        #expect(port.contains("80/tcp -> 0.0.0.0:18080"), "\(port)")
        // From the daemon's host (the lab namespace): through 127.0.0.1 and through the bridge's address.
        // (Debian's busybox 1.35 wget crashes with -T, so the timeout is timeout(1)'s.)
        var body = ""
        for _ in 0..<40 {
            body = (try? runStatus("/usr/sbin/ip", ["netns", "exec", lab.namespaceName, "/usr/bin/timeout", "5",
                                                    "busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:18080/"]))?.stdout ?? ""
            if body.contains("served-by-splice") { break }
            usleep(100_000)
        }
        #expect(body == "served-by-splice\n")
        let viaBridge = try runStatus("/usr/sbin/ip", ["netns", "exec", lab.namespaceName, "/usr/bin/timeout", "5",
                                                       "busybox", "wget", "-q", "-O", "-", "http://172.18.0.1:18080/"])
        #expect(viaBridge.stdout == "served-by-splice\n", "\(viaBridge.stderr)")
        // From another container, through the host's address (hairpin).
        let fromPeer = try lab.docker(["run", "--rm", "bb", "timeout", "5", "wget", "-q", "-O", "-",
                                       "http://172.18.0.1:18080/"])
        #expect(fromPeer.stdout == "served-by-splice\n", "\(fromPeer.stderr)")
        #expect(try lab.docker(["rm", "-f", "web"]).status == 0)
        let rules = try run("/usr/sbin/ip", ["netns", "exec", lab.namespaceName, "nft", "list", "ruleset"])
        #expect(!rules.contains("18080"), "\(rules)")
    }

    @Test func pipeworkAddsAnInterfaceToASpliceContainer() throws {
        let lab = try DaemonLab("pipework")
        #expect(try lab.docker(["run", "-d", "--name", "guest", "bb", "sleep", "60"]).status == 0)
        let pipework = DaemonLab.binary("pipework", environment: "PIPEWORK_BIN")
        // pipework finds the container by name over the Splice socket and builds br7 in the daemon's host.
        let attach = try runStatus("/usr/bin/env", [
            "SPLICE_HOST=unix://\(lab.socket)", "/usr/sbin/ip", "netns", "exec", lab.namespaceName, pipework, "br7",
            "-i", "eth1", "guest", "192.168.77.5/24",
        ])
        #expect(attach.status == 0, "\(attach.stderr)")
        let inside = try lab.docker(["exec", "guest", "ip", "-4", "-o", "addr", "show", "eth1"])
        #expect(inside.stdout.contains("inet 192.168.77.5/24"), "\(inside.stdout)\(inside.stderr)")
        // And by id prefix, a third interface.
        let id = try lab.docker(["inspect", "-f", "{{.Id}}", "guest"]).stdout.prefix(12)
        let byID = try runStatus("/usr/bin/env", [
            "SPLICE_HOST=unix://\(lab.socket)", "/usr/sbin/ip", "netns", "exec", lab.namespaceName, pipework, "br7",
            "-i", "eth2", String(id), "192.168.77.6/24",
        ])
        #expect(byID.status == 0, "\(byID.stderr)")
        let ping = try lab.docker(["exec", "guest", "ping", "-c", "1", "-W", "2", "192.168.77.6"])
        #expect(ping.status == 0, "\(ping.stdout)\(ping.stderr)")
        #expect(try lab.docker(["rm", "-f", "guest"]).status == 0)
        _ = try? runStatus("/usr/sbin/ip", ["-n", lab.namespaceName, "link", "del", "br7"])
    }

    @Test func removingEverythingLeavesNothing() throws {
        let lab = try DaemonLab("leaks")
        let cgroupsBefore = Set(Self.spliceCgroups())
        for arguments in [["--net=bridge", "-p", "18082:80"], ["--net=none"], ["--net=host"], ["-m", "32m"]] {
            #expect(try lab.docker(["run", "-d"] + arguments + ["bb", "sleep", "60"]).status == 0)
        }
        #expect(try lab.docker(["run", "-d", "--name", "anchor", "bb", "sleep", "60"]).status == 0)
        #expect(try lab.docker(["run", "-d", "--net=container:anchor", "bb", "sleep", "60"]).status == 0)
        #expect(try lab.docker(["exec", "-d", "anchor", "sleep", "60"]).status == 0)
        let ids = try lab.docker(["ps", "-q"]).stdout.split(separator: "\n").map(String.init)
        #expect(ids.count == 6)
        #expect(try lab.docker(["rm", "-f"] + ids).status == 0)
        #expect(try lab.docker(["ps", "-aq"]).stdout.isEmpty)
        let links = try run("/usr/sbin/ip", ["-n", lab.namespaceName, "-o", "link"])
        #expect(!links.contains("vsp"), "\(links)")
        let rules = try run("/usr/sbin/ip", ["netns", "exec", lab.namespaceName, "nft", "list", "ruleset"])
        #expect(!rules.contains("18082"), "\(rules)")
        let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        #expect(!mounts.contains(lab.graph + "/containers"), "\(mounts)")
        #expect(!mounts.contains(lab.graph + "/network/sandboxes"), "\(mounts)")
        #expect(Set(Self.spliceCgroups()).subtracting(cgroupsBefore).isEmpty)
        let sandboxes = (try? FileManager.default.contentsOfDirectory(atPath: lab.graph + "/network/sandboxes")) ?? []
        #expect(sandboxes.isEmpty, "\(sandboxes)")
    }

    /// Container cgroups under `splice/` in every mounted hierarchy.
    static func spliceCgroups() -> [String] {
        let roots = ["/sys/fs/cgroup/memory/splice", "/sys/fs/cgroup/pids/splice", "/sys/fs/cgroup/freezer/splice",
                     "/sys/fs/cgroup/unified/splice", "/sys/fs/cgroup/splice"]
        return roots.flatMap { root in
            ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
                .filter { $0.count == 64 }.map { root + "/" + $0 }
        }
    }
}
