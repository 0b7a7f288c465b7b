import Foundation
import Testing
@testable import SpliceDaemon

/// `spliced`'s dockerd-style flags: parsing, Docker's cross-flag rules and the message of every bad value.
/// Hermetic: no root, nothing started.
@Suite("spliced options")
struct DaemonOptionsTests {
    let environment = ["HOME": "/home/u"]

    func parse(_ arguments: [String]) throws -> DaemonOptions {
        try DaemonOptions.parse(arguments, environment: environment)
    }

    /// The error text `arguments` produce, or nil when they parse.
    func failure(_ arguments: [String]) -> String? {
        do {
            _ = try DaemonOptions.parse(arguments, environment: environment)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("defaults are dockerd's, with Splice's socket, graph and group")
    func defaults() throws {
        let options = try parse([])
        #expect(options.socketPaths == ["/run/splice.sock"])
        #expect(options.tcpAddresses.isEmpty)
        #expect(options.graph == "/var/lib/splice")
        #expect(options.bridge == nil && options.bridgeAddress == nil && options.fixedCIDR == nil)
        #expect(options.interContainer && options.ipForward && options.ipMasquerade && options.firewall)
        #expect(options.defaultHostIP == "0.0.0.0")
        #expect(options.mtu == nil)
        #expect(options.socketGroup == "splice" && !options.socketGroupExplicit)
        #expect(options.storageDriver == "overlay" && options.execDriver == "native")
        #expect(!options.tls && !options.tlsVerify)
        #expect(options.tlsCACert == "/home/u/.docker/ca.pem")
        #expect(options.tlsCert == "/home/u/.docker/cert.pem")
        #expect(options.tlsKey == "/home/u/.docker/key.pem")
        #expect(options.warnings.isEmpty)
        #expect(options.cgroupFavorDynmods)
        #expect(try !parse(["--cgroup-favordynmods=false"]).cgroupFavorDynmods)
        let certPath = try DaemonOptions.parse([], environment: ["DOCKER_CERT_PATH": "/certs", "HOME": "/h"])
        #expect(certPath.tlsCert == "/certs/cert.pem")
    }

    @Test("every flag in short, long, = and single-dash forms")
    func everyFlag() throws {
        let options = try parse([
            "-H", "unix:///tmp/a.sock", "--host=tcp://127.0.0.1:2376", "-H", "/tmp/b.sock", "-g", "/srv/splice/",
            "--bip=10.20.0.1/16", "--fixed-cidr", "10.20.5.0/24", "--icc=false", "--ip", "127.0.0.1",
            "--ip-forward=false", "--ip-masq=false", "--mtu", "1400", "--dns", "10.0.0.53", "--dns=10.0.0.54",
            "--dns-search", "example.test", "-G", "adm", "-p", "/run/x.pid", "-D", "--registry-mirror",
            "https://mirror.example.test/", "--insecure-registry", "10.1.0.0/16", "--selinux-enabled",
            "-s", "overlay2", "--exec-driver=native", "--exec-opt", "native.cgroupdriver=cgroupfs", "--tlsverify",
            "--tlscacert", "/c/ca.pem", "--tlscert=/c/cert.pem", "-tlskey", "/c/key.pem", "-d",
        ])
        #expect(options.socketPaths == ["/tmp/a.sock", "/tmp/b.sock"])
        #expect(options.tcpAddresses == ["127.0.0.1:2376"])
        #expect(options.graph == "/srv/splice")
        #expect(options.bridgeAddress == "10.20.0.1/16" && options.fixedCIDR == "10.20.5.0/24")
        #expect(!options.interContainer && !options.ipForward && !options.ipMasquerade && options.firewall)
        #expect(options.defaultHostIP == "127.0.0.1" && options.mtu == 1400)
        #expect(options.dns == ["10.0.0.53", "10.0.0.54"] && options.dnsSearch == ["example.test"])
        #expect(options.socketGroup == "adm" && options.socketGroupExplicit)
        #expect(options.pidFile == "/run/x.pid" && options.debug)
        #expect(options.registryMirrors == ["https://mirror.example.test"])
        #expect(options.insecureRegistries == ["10.1.0.0/16"])
        #expect(options.selinuxEnabled && options.storageDriver == "overlay2")
        #expect(options.execOptions == ["native.cgroupdriver=cgroupfs"])
        #expect(options.tlsVerify && options.tls, "--tlsverify implies --tls")
        #expect(options.tlsCACert == "/c/ca.pem" && options.tlsCert == "/c/cert.pem" && options.tlsKey == "/c/key.pem")
        #expect(options.warnings.contains("SELinux is not supported by Splice: --selinux-enabled is ignored"))
        #expect(!options.warnings.contains { $0.contains("DON'T BIND") }, "TLS-verified TCP does not warn")
        #expect(try parse(["-b", "br7"]).bridge == "br7")
        #expect(try parse(["--bridge=br7"]).bridge == "br7")
        #expect(try parse(["--iptables=false", "--ip-masq=true"]).ipMasquerade == false)
    }

    @Test("-H forms: default tcp port, empty host, only tcp drops the default unix socket")
    func hosts() throws {
        #expect(try parse(["-H", "tcp://"]).tcpAddresses == ["127.0.0.1:2375"])
        #expect(try parse(["--tls=false", "-H", "tcp://0.0.0.0:4243"]).tcpAddresses == ["0.0.0.0:4243"])
        #expect(try parse(["--tlsverify=false", "-H", "tcp://[::]:4243"]).tcpAddresses == ["[::]:4243"])
        #expect(try parse(["--tls", "-H", "tcp://0.0.0.0:4243"]).tcpAddresses == ["0.0.0.0:4243"])
        #expect(try parse(["-H", "tcp://[::1]:4243"]).tcpAddresses == ["[::1]:4243"], "loopback needs no TLS")
        let tcpOnly = try parse(["-H", "tcp://127.0.0.1:0"])
        #expect(tcpOnly.socketPaths.isEmpty)
        #expect(tcpOnly.warnings.contains("/!\\ DON'T BIND ON ANY IP ADDRESS WITHOUT setting --tlsverify IF YOU"
            + " DON'T KNOW WHAT YOU'RE DOING /!\\"))
        #expect(try parse(["--tls", "-H", "tcp://127.0.0.1:1"]).warnings.count == 1, "--tls alone still warns")
    }

    @Test("bad values and Docker's rules, with their messages", arguments: [
        (["-b", "br0", "--bip", "10.0.0.1/24"],
         "You specified -b & --bip, mutually exclusive options. Please specify only one."),
        (["--iptables=false", "--icc=false"],
         "You specified --iptables=false with --icc=false. ICC uses iptables to function."
            + " Please set --icc or --iptables to true."),
        (["--mtu", "abc"], "invalid value \"abc\" for flag --mtu: the MTU must be a number from 68 to 65535"),
        (["--mtu", "20"], "invalid value \"20\" for flag --mtu: the MTU must be a number from 68 to 65535"),
        (["--dns", "not-ip"], "invalid value \"not-ip\" for flag --dns: not-ip is not an ip address"),
        (["--dns-search", "-bad-.com"],
         "invalid value \"-bad-.com\" for flag --dns-search: -bad-.com is not a valid domain"),
        (["--ip", "1.2.3"], "invalid value \"1.2.3\" for flag --ip: 1.2.3 is not an ip address"),
        (["--bip", "10.0.0.1"],
         "invalid value \"10.0.0.1\" for flag --bip: expected an IPv4 address with a prefix, such as 172.18.0.1/16"),
        (["--fixed-cidr", "nope"],
         "invalid value \"nope\" for flag --fixed-cidr: expected an IPv4 network, such as 172.18.5.0/24"),
        (["--bip", "172.30.0.1/16", "--fixed-cidr", "10.9.0.0/24"],
         "--fixed-cidr 10.9.0.0/24 is not inside the bridge network 172.30.0.1/16"),
        (["--icc=maybe"], "invalid boolean value \"maybe\" for --icc: parse error"),
        (["--ipv6"], "--ipv6 needs --fixed-cidr-v6 (the default bridge's IPv6 subnet, such as fd00:1::/64): Splice"
            + " has no default IPv6 pool"),
        (["--fixed-cidr-v6", "10.0.0.0/8"],
         "invalid value \"10.0.0.0/8\" for flag --fixed-cidr-v6: expected an IPv6 network, such as fd00:1::/64"),
        (["-s", "devicemapper"],
         "storage driver \"devicemapper\" is not supported: Splice stores containers on overlayfs"
            + " (-s overlay or -s overlay2)"),
        (["--exec-driver", "lxc"], "exec driver \"lxc\" is not supported: Splice has only the native driver"),
        (["--exec-opt", "nokey"], "Unable to parse key/value option: nokey"),
        (["--exec-opt", "lxc.x=1"], "exec-opt lxc.x=1: only native.* options apply (native is the only exec driver)"),
        (["--exec-opt", "native.cgroupdriver=systemd"],
         "exec-opt native.cgroupdriver=systemd: Splice drives cgroups through cgroupfs only"),
        (["--registry-mirror", "mirror.test"],
         "invalid value \"mirror.test\" for flag --registry-mirror: Unsupported scheme: a mirror is an http://"
            + " or https:// URL"),
        (["--registry-mirror", "https://m.test/v2"],
         "invalid value \"https://m.test/v2\" for flag --registry-mirror: a mirror URL has no path"),
        (["--insecure-registry", "http://r.test"],
         "invalid value \"http://r.test\" for flag --insecure-registry: insecure registry http://r.test should"
            + " not contain '://'"),
        (["-H", "udp://x"], "-H udp://x: expected unix:///path or tcp://host:port"),
        (["-H", "tcp://127.0.0.1:99999"], "-H tcp://127.0.0.1:99999: invalid port \"99999\""),
        (["-H", "tcp://example.test:1"], "-H tcp://example.test:1: example.test is not an IP address"),
        (["-H", "tcp://0.0.0.0:2375"],
         "-H tcp://0.0.0.0:2375: listening on a non-loopback address without TLS gives root on this host to anyone"
            + " who can reach it; use --tlsverify (or --tls), or pass --tls=false explicitly to accept that"),
        (["--frobnicate"], "flag provided but not defined: --frobnicate"),
        (["-g"], "flag needs an argument: -g"),
        (["stray"], "spliced takes no arguments, got \"stray\" (see spliced --help)"),
        (["--host-gateway-ip", "gw"], "invalid value \"gw\" for flag --host-gateway-ip: gw is not an ip address"),
        (["-b", "a-name-longer-than-15"],
         "invalid value \"a-name-longer-than-15\" for flag -b: not an interface name (1 to 15 bytes, no '/' or space)"),
    ])
    func bad(arguments: [String], message: String) {
        #expect(failure(arguments) == message)
    }

    @Test("-h asks for help")
    func help() {
        #expect(throws: DaemonError.help) { try DaemonOptions.parse(["-h"]) }
        #expect(DaemonOptions.usage.contains("--tlsverify"))
    }

    @Test("the default network and engine configuration follow the options")
    func bridgeAndEngine() throws {
        let options = try parse(["--bip", "172.30.0.1/16", "--fixed-cidr", "172.30.5.0/24", "--mtu", "1400",
                                 "--icc=false", "--ip-masq=false", "--dns", "10.0.0.53", "--dns-search", "corp.test"])
        let bridge = try Daemon.bridgeOptions(options)
        #expect(bridge.name == "splice0" && bridge.bridge == "splice0")
        #expect(bridge.bridgeAddress?.description == "172.30.0.1/16")
        #expect(bridge.ipRange?.description == "172.30.5.0/24")
        #expect(bridge.mtu == 1400 && !bridge.interContainer && !bridge.ipMasquerade && bridge.ipForward)
        #expect(try Daemon.bridgeOptions(parse([])).bridgeAddress?.description == "172.18.0.1/16")
        #expect(try Daemon.bridgeOptions(parse(["-b", "br7"])).bridgeAddress == nil)
        let engine = Daemon.engineConfiguration(options, initPath: "/x/splice-init")
        #expect(engine.dns == ["10.0.0.53"] && engine.dnsSearch == ["corp.test"])
        let tls = Daemon.tlsSettings(try parse(["--tlsverify", "--tlscacert", "/ca", "--tlscert", "/c",
                                                "--tlskey", "/k"]))
        #expect(tls == .init(certificatePath: "/c", keyPath: "/k", caPath: "/ca", verifyClients: true))
        #expect(Daemon.tlsSettings(try parse(["--tls"])).caPath == nil, "--tls alone does not ask for client certs")
    }

    @Test("system warnings come from the cgroup hierarchy")
    func warnings() throws {
        let root = NSTemporaryDirectory() + "splice-cgroup-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for file in ["memory/memory.limit_in_bytes", "memory/memory.oom_control", "memory/memory.kmem.limit_in_bytes",
                     "cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us", "cpu/cpu.shares", "cpuset/cpuset.cpus",
                     "blkio/blkio.weight_device"] {
            let path = root + "/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        }
        #expect(SystemWarnings.probe(cgroupRoot: root) == ["WARNING: No swap limit support",
                                                            "WARNING: No blkio weight support"])
    }

    @Test("host facts for /info: graph file system, memory, OS release")
    func hostFacts() throws {
        let root = NSTemporaryDirectory() + "splice-facts-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
            30 22 0:26 / /var/lib/splice rw,relatime shared:9 - xfs /dev/sdb1 rw
            31 22 0:27 / /var/lib/splicex rw - tmpfs tmpfs rw

            """.write(toFile: root + "/mountinfo", atomically: true, encoding: .utf8)
        let mountinfo = root + "/mountinfo"
        #expect(SpliceDockerEngine.backingFilesystem("/var/lib/splice/graph", mountinfo: mountinfo) == "xfs")
        #expect(SpliceDockerEngine.backingFilesystem("/var/lib/splice", mountinfo: mountinfo) == "xfs")
        #expect(SpliceDockerEngine.backingFilesystem("/srv", mountinfo: mountinfo) == "extfs")
        try "MemTotal:       24576000 kB\nMemFree: 1 kB\n".write(toFile: root + "/meminfo", atomically: true,
                                                                  encoding: .utf8)
        #expect(SpliceDockerEngine.memoryTotal(path: root + "/meminfo") == 24_576_000 * 1024)
        try "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\n"
            .write(toFile: root + "/os-release", atomically: true, encoding: .utf8)
        let release = SpliceDockerEngine.osRelease(path: root + "/os-release")
        #expect(release["PRETTY_NAME"] == "Debian GNU/Linux 12 (bookworm)" && release["VERSION_ID"] == "12")
        let id = SpliceDockerEngine.daemonID(graph: "/var/lib/splice")
        #expect(id.split(separator: ":").count == 12 && id.count == 59)
        #expect(id == SpliceDockerEngine.daemonID(graph: "/var/lib/splice"), "stable")
    }

    @Test("--userns-remap takes default, USER or USER:GROUP")
    func usernsRemap() throws {
        #expect(try parse([]).usernsRemap == nil)
        #expect(try parse(["--userns-remap", "default"]).usernsRemap == "default")
        #expect(try parse(["--userns-remap=alice:staff"]).usernsRemap == "alice:staff")
        #expect(failure(["--userns-remap", "a:b:c"])?.contains("invalid --userns-remap \"a:b:c\"") == true)
    }
}
