import Foundation
import Glibc
import TestSupport
import Testing

/// `spliced`'s daemon options through a real daemon in a scratch namespace (DaemonLab) and the docker CLI.
@Suite("spliced daemon options", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct DaemonOptionsLabTests {
    /// `ip -n NS -j link show DEV`'s MTU.
    static func mtu(of device: String, in namespace: String) throws -> Int? {
        let json = try run("/usr/sbin/ip", ["-n", namespace, "-j", "link", "show", device])
        let links = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        return links?.first?["mtu"] as? Int
    }

    /// `GET /info` of the lab's daemon, decoded loosely.
    static func info(_ lab: DaemonLab) throws -> [String: Any] {
        let body = try run("/usr/bin/curl", ["-sS", "--max-time", "10", "--unix-socket", lab.socket,
                                             "http://localhost/v1.41/info"])
        return try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
    }

    @Test("--mtu reaches bridge and container; -G sets the socket group; --dns; /info shows the settings")
    func mtuGroupDNSInfo() throws {
        let group = "adm"
        let gid = try #require(getgrnam(group)?.pointee.gr_gid, "group \(group) exists on Debian")
        let lab = try DaemonLab("mtu", daemonArguments: [
            "--mtu", "1400", "-G", group, "--dns", "192.0.2.53", "--dns-search", "corp.test",
            "--registry-mirror", "https://mirror.example.test", "--insecure-registry", "10.1.0.0/16",
        ])
        #expect(try Self.mtu(of: "splice0", in: lab.namespaceName) == 1400)
        let inside = try lab.docker(["run", "--rm", "bb", "cat", "/sys/class/net/eth0/mtu"])
        #expect(inside.status == 0, "\(inside.stderr)\n\(lab.daemonLog())")
        #expect(inside.stdout == "1400\n")
        var info = stat()
        #expect(lstat(lab.socket, &info) == 0)
        #expect(info.st_gid == gid)
        #expect(info.st_mode & 0o777 == 0o660)
        let resolv = try lab.docker(["run", "--rm", "bb", "cat", "/etc/resolv.conf"])
        #expect(resolv.status == 0, "\(resolv.stderr)")
        #expect(resolv.stdout.contains("nameserver 192.0.2.53"), "\(resolv.stdout)")
        #expect(resolv.stdout.contains("search corp.test"), "\(resolv.stdout)")
        let system = try Self.info(lab)
        #expect(system["DockerRootDir"] as? String == lab.graph)
        #expect(system["Driver"] as? String == "overlay")
        #expect(system["ExecutionDriver"] as? String == "native-0.2")
        #expect((system["NCPU"] as? Int ?? 0) > 0)
        #expect((system["MemTotal"] as? Int ?? 0) > 0)
        let registry = system["RegistryConfig"] as? [String: Any]
        #expect(registry?["Mirrors"] as? [String] == ["https://mirror.example.test"])
        #expect(registry?["InsecureRegistryCIDRs"] as? [String] == ["127.0.0.0/8", "10.1.0.0/16"])
        let printed = try lab.docker(["info"])
        #expect(printed.stdout.contains("Docker Root Dir: \(lab.graph)"), "\(printed.stdout)")
        #expect(printed.stdout.contains("Storage Driver: overlay"))
    }

    @Test("--icc=false: containers cannot reach each other, but still reach the bridge")
    func interContainerIsolation() throws {
        let lab = try DaemonLab("icc", daemonArguments: ["--icc=false"])
        let run = try lab.docker(["run", "-d", "--name", "two", "bb", "sleep", "60"])
        #expect(run.status == 0, "\(run.stderr)\n\(lab.daemonLog())")
        let two = try lab.docker(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", "two"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let gateway = try lab.docker(["inspect", "-f", "{{.NetworkSettings.Gateway}}", "two"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!two.isEmpty && !gateway.isEmpty)
        // `docker exec` is not in this slice yet, so a third container pings.
        let control = try lab.docker(["run", "--rm", "bb", "ping", "-c", "1", "-W", "2", gateway])
        #expect(control.status == 0, "ping to the bridge must work: \(control.stdout) \(control.stderr)")
        let blocked = try lab.docker(["run", "--rm", "bb", "ping", "-c", "1", "-W", "2", two])
        #expect(blocked.status != 0, "--icc=false must stop container-to-container traffic: \(blocked.stdout)")
    }

    @Test("--bip 172.30.0.1/16 --fixed-cidr 172.30.5.0/24: addresses in the range; --ip for -p")
    func fixedCIDR() throws {
        let lab = try DaemonLab("cidr", daemonArguments: ["--bip", "172.30.0.1/16", "--fixed-cidr", "172.30.5.0/24",
                                                          "--ip", "127.0.0.1"])
        let run = try lab.docker(["run", "-d", "--name", "web", "-p", "18080:80", "bb", "sleep", "60"])
        #expect(run.status == 0, "\(run.stderr)\n\(lab.daemonLog())")
        let address = try lab.docker(["inspect", "-f", "{{.NetworkSettings.IPAddress}} {{.NetworkSettings.Gateway}}",
                                      "web"]).stdout
        #expect(address.hasPrefix("172.30.5."), "\(address)")
        #expect(address.hasSuffix(" 172.30.0.1\n"), "\(address)")
        // --ip: a -p without a host address publishes on the daemon's default host IP.
        let port = try lab.docker(["port", "web", "80"])
        #expect(port.stdout == "127.0.0.1:18080\n", "\(port.stdout) \(port.stderr)")
    }

    @Test("changed options: refused while a container uses the default network, applied once it is free")
    func changedOptions() throws {
        let lab = try DaemonLab("chg", daemonArguments: ["--mtu", "1400"])
        let run = try lab.docker(["run", "-d", "--name", "web", "bb", "sleep", "60"])
        #expect(run.status == 0, "\(run.stderr)")
        lab.stopDaemon()
        let spliced = ["/usr/bin/timeout", "-s", "TERM", "8", "/usr/bin/nsenter",
                       "--net=/run/netns/\(lab.namespaceName)", DaemonLab.splicedBinary,
                       "-H", "unix://\(lab.directory)/other.sock", "-g", lab.graph, "--mtu", "1300"]
        let refused = try runStatus(spliced[0], Array(spliced.dropFirst()))
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("exists with other options (--mtu 1400 -> 1300) and 1 container(s) use it"),
                "\(refused.stderr)")
        #expect(try Self.mtu(of: "splice0", in: lab.namespaceName) == 1400)
        try lab.startDaemon()
        #expect(try lab.docker(["rm", "-f", "web"]).status == 0)
        lab.stopDaemon()
        // Free now: the daemon recreates the network with MTU 1300 and serves until `timeout` stops it.
        let applied = try runStatus(spliced[0], Array(spliced.dropFirst()))
        #expect(applied.status == 124, "spliced served until stopped: \(applied.stderr)")
        #expect(try Self.mtu(of: "splice0", in: lab.namespaceName) == 1300)
        try lab.startDaemon()
        #expect(try Self.mtu(of: "splice0", in: lab.namespaceName) == 1400)
    }

    @Test("--tlsverify on tcp://127.0.0.1:2376: docker CLI with a client cert works; without, or plain HTTP, fails",
          .enabled(if: LabTLSFixture.openssl != nil && LabTLSFixture.curl != nil, "needs the openssl and curl CLIs"))
    func tlsWithDockerCLI() throws {
        let tls = try LabTLSFixture.make()
        defer { tls.remove() }
        let lab = try DaemonLab("tls", daemonArguments: [
            "-H", "tcp://127.0.0.1:2376", "--tlsverify", "--tlscacert", tls.ca, "--tlscert", tls.serverCert,
            "--tlskey", tls.serverKey,
        ])
        let docker = try #require(DaemonLab.docker)
        let config = lab.directory + "/docker-config"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        func inNamespace(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try runStatus("/usr/sbin/ip", ["netns", "exec", lab.namespaceName, "/usr/bin/env",
                                           "DOCKER_CONFIG=\(config)",
                                           "/usr/bin/timeout", "-s", "KILL", "30"] + arguments)
        }
        let version = try inNamespace([docker, "--tlsverify", "--tlscacert", tls.ca, "--tlscert", tls.clientCert,
                                       "--tlskey", tls.clientKey, "-H", "tcp://127.0.0.1:2376", "version",
                                       "--format", "{{.Server.Version}}"])
        #expect(version.status == 0, "\(version.stderr)\n\(lab.daemonLog())")
        #expect(version.stdout == "0.1.0\n")
        let noCert = try inNamespace([docker, "--tlsverify", "--tlscacert", tls.ca, "-H", "tcp://127.0.0.1:2376",
                                      "version", "--format", "{{.Server.Version}}"])
        #expect(noCert.status != 0)
        #expect(!noCert.stdout.contains("0.1.0"))
        let plain = try inNamespace(["/usr/bin/curl", "-sS", "--max-time", "5", "http://127.0.0.1:2376/_ping"])
        #expect(plain.status != 0)
        #expect(plain.stdout != "OK")
        #expect(!lab.daemonLog().contains("DON'T BIND"), "no warning with --tlsverify")
    }
}

/// `spliced` refusing to start: each case exits before it serves, with Docker's message.
@Suite("spliced refuses to start",
       .enabled(if: FileManager.default.isExecutableFile(atPath: DaemonLab.splicedBinary), "spliced is not built"))
struct DaemonRefusalTests {
    /// Runs `spliced` with `arguments` (bounded by `timeout`) in a scratch directory.
    static func spliced(_ arguments: [String], directory: String) throws -> (status: Int32, stderr: String) {
        let result = try runStatus("/usr/bin/timeout", ["-s", "KILL", "20", DaemonLab.splicedBinary,
                                                        "-H", "unix://\(directory)/s.sock", "-g", directory + "/g"]
                                   + arguments)
        return (result.status, result.stderr)
    }

    static func scratch(_ tag: String) throws -> String {
        let directory = NSTemporaryDirectory() + "splice-refuse-\(getpid())-\(tag)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("-p naming a live process")
    func livePIDFile() throws {
        let directory = try Self.scratch("pid")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pidFile = directory + "/spliced.pid"
        try "\(getpid())\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        let result = try Self.spliced(["-p", pidFile], directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "spliced: pid file found, ensure docker is not running or delete \(pidFile)\n")
        #expect(try String(contentsOfFile: pidFile, encoding: .utf8) == "\(getpid())\n", "the pid file is kept")
        #expect(!FileManager.default.fileExists(atPath: directory + "/g"), "nothing was started")
    }

    @Test("-G naming a missing group")
    func missingGroup() throws {
        let directory = try Self.scratch("grp")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try Self.spliced(["-G", "no-such-group-spl"], directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("can't create unix socket \(directory)/s.sock: group no-such-group-spl"
            + " not found"),
                "\(result.stderr)")
    }

    @Test("--tlsverify with missing certificate files")
    func missingTLSFiles() throws {
        let directory = try Self.scratch("tls")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try Self.spliced(["--tlsverify", "-H", "tcp://127.0.0.1:0", "--tlscacert", directory + "/ca.pem",
                                       "--tlscert", directory + "/cert.pem", "--tlskey", directory + "/key.pem"],
                                      directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("spliced: TLS: could not load certificate \"\(directory)/cert.pem\": No such"
            + " file or directory"), "\(result.stderr)")
    }

    @Test("bad flags exit 2 with the message")
    func badFlag() throws {
        let directory = try Self.scratch("flag")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try Self.spliced(["-b", "br0", "--bip", "10.0.0.1/24"], directory: directory)
        #expect(result.status == 2)
        #expect(result.stderr == "spliced: You specified -b & --bip, mutually exclusive options. Please specify only"
            + " one.\nSee 'spliced --help'.\n")
    }
}
