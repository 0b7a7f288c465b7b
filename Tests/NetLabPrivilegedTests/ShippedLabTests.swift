import Foundation
import Glibc
import Testing

/// Runs the shipped labs with the real `splice lab` (`splice-lab` from this build, spliced beside it or in
/// `$SPLICED_BIN`): up, a second up that changes nothing, test, down, and then nothing is left.
@Suite(.serialized, .enabled(if: getuid() == 0, "needs root: labs create network namespaces and start spliced"))
struct ShippedLabTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `name` from this test bundle's build directory (`.build/debug`), else the debug build of the package.
    static func binary(_ name: String) -> String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for directory in [beside, beside.deletingLastPathComponent(), root.appendingPathComponent(".build/debug")] {
            let path = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root.appendingPathComponent(".build/debug/\(name)").path
    }

    static let splice = binary("splice")
    static let spliced = ProcessInfo.processInfo.environment["SPLICED_BIN"] ?? binary("spliced")

    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs `splice lab ARGS` (through `splice`, which execs `splice-lab` beside it) and returns its output.
    /// posix_spawn and waitpid rather than Foundation's Process, whose waitUntilExit missed the exit of a
    /// command whose descendants daemonise (`setsid -f spliced`) and hung.
    @discardableResult
    static func lab(_ arguments: [String]) throws -> Run {
        try spawn(["/usr/bin/timeout", "-s", "KILL", "120", splice, "lab"] + arguments)
    }

    /// Runs `argv` with `SPLICED_BIN` set, stdout and stderr into one temporary file; returns status and output.
    static func spawn(_ argv: [String], wait: Bool = true) throws -> Run {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(getpid())-\(UUID()).out").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var environment = ProcessInfo.processInfo.environment
        environment["SPLICED_BIN"] = spliced
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, &cEnvironment)
        try #require(spawned == 0, "posix_spawn \(argv[0]): \(String(cString: strerror(spawned)))")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return Run(status: (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), output: text)
    }

    /// What a lab could leave behind: its namespaces, its state directory, processes under it, and nftables
    /// tables in this namespace.
    static func leftovers(_ name: String) -> [String] {
        var left: [String] = []
        let namespaces = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        left += namespaces.filter { $0 == "sl-\(name)" || $0.hasPrefix("sl-\(name)-") }.map { "namespace \($0)" }
        if FileManager.default.fileExists(atPath: "/run/splice-lab/\(name)") { left.append("/run/splice-lab/\(name)") }
        for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(pid) != nil {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
            let cmdline = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
            if cmdline.contains("/run/splice-lab/\(name)/") { left.append("process \(pid): \(cmdline)") }
        }
        let mounts = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        left += mounts.split(separator: "\n").filter { $0.contains("/run/splice-lab/\(name)/") }.map { "mount \($0)" }
        return left
    }

    static func nftTables() throws -> String {
        try spawn(["/usr/sbin/nft", "list", "tables"]).output
    }

    /// up, up again, `whileUp`, test, down, leak check.
    func runLab(_ file: String, name: String, expectTests: Bool = true, whileUp: () throws -> Void = {}) throws {
        let path = Self.root.appendingPathComponent("netlab/labs/\(file)").path
        _ = try? Self.lab(["down", "--name", name])
        let tables = try Self.nftTables()
        defer { _ = try? Self.lab(["down", "--name", name]) }
        let up = try Self.lab(["up", path])
        #expect(up.status == 0, "\(up.output)")
        #expect(up.output.contains("lab \(name) is up"))
        let again = try Self.lab(["up", path])
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("lab \(name) is up; nothing to change"), "\(again.output)")
        let inspect = try Self.lab(["inspect", "--name", name, "--format", "json"])
        #expect(inspect.status == 0)
        #expect(inspect.output.contains("\"switchNamespace\" : \"sl-\(name)\""))
        try whileUp()
        if expectTests {
            let test = try Self.lab(["test", path])
            #expect(test.status == 0, "\(test.output)")
            #expect(test.output.contains(" passed, 0 failed"), "\(test.output)")
        }
        let down = try Self.lab(["down", path])
        #expect(down.status == 0, "\(down.output)")
        #expect(Self.leftovers(name) == [])
        #expect(try Self.nftTables() == tables)
    }

    @Test func lanAcrossTwoHostsWithNATPublishedPortContainerModeAndKilledDaemon() throws {
        try runLab("lan-two-hosts.yaml", name: "lan")
    }

    @Test func pipeworkLANAcrossTwoHosts() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.binary("pipework")),
            "pipework must be built beside splice-lab")
        try runLab("pipework-two-hosts.yaml", name: "pipework")
    }

    @Test func linkFailureAndRecovery() throws { try runLab("link-failure.yaml", name: "linkfail") }

    @Test func mtuMismatchIsDetected() throws { try runLab("mtu-mismatch.yaml", name: "mtu") }

    @Test func fiftyBareHosts() throws { try runLab("bare-50.yaml", name: "bare50") }

    @Test func containerlabFile() throws {
        try runLab("clab-basic.clab.yml", name: "clab-basic", expectTests: false)
    }

    @Test func containerlabNodesTalkOverTheirLinksThroughExec() throws {
        let path = Self.root.appendingPathComponent("netlab/labs/clab-basic.clab.yml").path
        defer { _ = try? Self.lab(["down", "--name", "clab-basic"]) }
        #expect(try Self.lab(["up", path]).status == 0)
        let ping = try Self.lab(["exec", "r1", "--", "ping", "-c", "1", "-W", "2", "10.20.0.3"])
        #expect(ping.status == 0, "\(ping.output)")
        #expect(ping.output.contains("1 packets received"))
        #expect(try Self.lab(["down", "--name", "clab-basic"]).status == 0)
        #expect(Self.leftovers("clab-basic") == [])
    }

    /// A containerlab file with `defaults`, `kinds`, `env` as a map, a relative `binds` entry, `mgmt` with a subnet
    /// and `mgmt-ipv4`, a quoted `cmd` string, `network-mode: container:` and an extended `type: veth` link with an
    /// MTU: each node sees what containerlab would give it.
    @Test func containerlabLayersBindsManagementAndExtendedLinks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clabx-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "welcome to clabx\n".write(to: directory.appendingPathComponent("motd.txt"), atomically: true,
                                      encoding: .utf8)
        let name = "clabx\(getpid() % 10000)"
        let file = directory.appendingPathComponent("x.clab.yml")
        try """
        name: \(name)
        mgmt:
          network: mgmtx
          ipv4-subnet: 172.31.99.0/24
        topology:
          defaults:
            env: {ROLE: default, SHARED: "yes"}
          kinds:
            linux:
              image: busybox
              binds: [motd.txt:/etc/motd:ro]
          nodes:
            n1:
              kind: linux
              mgmt-ipv4: 172.31.99.10
              env: {ROLE: router}
              cmd: sh -c 'echo "n1 started" > /tmp/started; exec sleep 1000000'
              exec: ["ip addr add 10.77.0.1/30 dev eth1"]
            n2:
              mgmt-ipv4: 172.31.99.11
              exec: ["ip addr add 10.77.0.2/30 dev eth1"]
            n3:
              network-mode: container:n1
          links:
            - type: veth
              mtu: 1400
              endpoints:
                - {node: n1, interface: eth1}
                - {node: n2, interface: eth1}
        """.write(to: file, atomically: true, encoding: .utf8)
        defer { _ = try? Self.lab(["down", "--name", name]) }
        let up = try Self.lab(["up", file.path])
        try #require(up.status == 0, "\(up.output)")
        func exec(_ node: String, _ command: String) throws -> Run {
            try Self.lab(["exec", node, "--", "sh", "-c", command])
        }
        #expect(try exec("n1", "echo $ROLE $SHARED").output == "router yes\n")
        #expect(try exec("n2", "echo $ROLE $SHARED").output == "default yes\n")
        #expect(try exec("n2", "cat /etc/motd").output == "welcome to clabx\n")
        #expect(try exec("n1", "cat /tmp/started").output == "n1 started\n")
        let mtu = try exec("n1", "cat /sys/class/net/eth1/mtu")
        #expect(mtu.output == "1400\n", "\(mtu.output)")
        let link = try exec("n1", "ping -c 1 -W 2 10.77.0.2")
        #expect(link.status == 0 && link.output.contains("1 packets received"), "\(link.output)")
        let management = try exec("n2", "ip -4 addr show eth0; ping -c 1 -W 2 172.31.99.10")
        #expect(management.output.contains("172.31.99.11/24") && management.output.contains("1 packets received"),
                "\(management.output)")
        // n3 shares n1's namespace: it sees n1's link address.
        #expect(try exec("n3", "ip -4 addr show eth1").output.contains("10.77.0.1/30"))
        #expect(try Self.lab(["down", "--name", name]).status == 0)
        #expect(Self.leftovers(name) == [])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd"), "needs etcd (etcd-server)"))
    func overlayAcrossTwoHostsWithEtcdStoppedAndADaemonKilled() throws {
        try runLab("overlay-two-hosts.yaml", name: "overlay")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd"), "needs etcd (etcd-server)"))
    func twoTenantsWithOverlappingOverlaySubnetsStayApart() throws {
        try runLab("overlay-tenants.yaml", name: "tenants")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd"), "needs etcd (etcd-server)"))
    func overlayOverAThreeMemberStoreThatLosesOne() throws {
        try runLab("overlay-etcd-three.yaml", name: "overlay3")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd"), "needs etcd (etcd-server)"))
    func threeHostsRoutedWithADaemonKilled() throws {
        try runLab("routed-three-hosts.yaml", name: "routed3") {
            // inspect shows each host's leased part of the routed network: three disjoint /24s of 10.61.0.0/22.
            let inspect = try Self.lab(["inspect", "--name", "routed3"])
            let row = try #require(
                inspect.output.split(separator: "\n").first { $0.hasPrefix("rt ") }, "\(inspect.output)")
            #expect(row.contains("   routed   10.61.0.0/22   "), "\(row)")
            let parts = Dictionary(
                uniqueKeysWithValues: (row.components(separatedBy: "   ").last ?? "").components(separatedBy: ", ")
                    .map { $0.split(separator: " ").map(String.init) }.filter { $0.count == 2 }.map { ($0[0], $0[1]) })
            #expect(parts.keys.sorted() == ["h1", "h2", "h3"], "\(row)")
            #expect(Set(parts.values).count == 3, "\(row)")
            #expect(parts.values.allSatisfy { $0.hasPrefix("10.61.") && $0.hasSuffix(".0/24") }, "\(row)")
        }
    }

    @Test func macvlanOnTheHostsUplinks() throws {
        try runLab("macvlan-uplink.yaml", name: "macvlan") {
            // Each host hands out addresses from a range of its own, and the nodes' addresses lie in them.
            let inspect = try Self.lab(["inspect", "--name", "macvlan"])
            #expect(
                inspect.output.contains("mv        macvlan   10.94.0.0/24   h1 10.94.0.32/27, h2 10.94.0.64/27"),
                "\(inspect.output)")
            #expect(inspect.output.contains("alpha   h1     bb      mv=10.94.0.32\n"), "\(inspect.output)")
            #expect(inspect.output.contains("beta    h2     bb      mv=10.94.0.64\n"), "\(inspect.output)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd"), "needs etcd (etcd-server)"))
    func overlayAcrossARoutedUnderlay() throws {
        try runLab("overlay-routed-underlay.yaml", name: "ovrouted") {
            let inspect = try Self.lab(["inspect", "--name", "ovrouted"])
            #expect(inspect.output.contains("router sl-ovrouted-router 10.93.0.254/29"), "\(inspect.output)")
            #expect(inspect.output.contains("h3     sl-ovrouted-h3   10.93.0.10/30"), "\(inspect.output)")
        }
    }

    @Test func aMacvlanNetworkOnARoutedUnderlayIsRefusedBeforeAnythingIsMade() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lab-l2-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("macvlan-routed.yaml")
        try """
        name: l2\(getpid())
        images: {bb: busybox}
        hosts: {h1: {}, h2: {}}
        underlay: {kind: routed}
        networks:
          mv: {driver: macvlan}
        nodes:
          aa: {host: h1, image: bb, networks: [mv]}
        """.write(to: file, atomically: true, encoding: .utf8)
        let up = try Self.lab(["up", file.path])
        #expect(up.status == 1)
        #expect(
            up.output.contains("line 6: network 'mv': the macvlan driver needs a shared L2 underlay"), "\(up.output)")
        #expect(Self.leftovers("l2\(getpid())") == [])
    }

    @Test func delayIsRefusedWithTheKernelsReason() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lab-delay-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("delay.yaml")
        try """
        name: delay\(getpid())
        images: {bb: busybox}
        hosts: {h1: {}}
        nodes: {n1: {image: bb}, n2: {image: bb}}
        links:
          - endpoints: [n1:eth1, n2:eth1]
            delay: 20ms
        """.write(to: file, atomically: true, encoding: .utf8)
        let up = try Self.lab(["up", file.path])
        #expect(up.status == 1)
        #expect(up.output.contains("link n1:eth1--n2:eth1 (line 6): delay:"), "\(up.output)")
        #expect(up.output.contains("netem"), "\(up.output)")
        #expect(Self.leftovers("delay\(getpid())") == [])
    }

    @Test func downAfterUpWasKilled() throws {
        try killUpThenDown("lan-two-hosts.yaml", name: "lan", after: "/run/splice-lab/lan/hosts/h1/spliced.pid")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd"), "needs etcd (etcd-server)"))
    func downAfterUpWasKilledStopsTheLabsEtcd() throws {
        try killUpThenDown(
            "overlay-two-hosts.yaml", name: "overlay", after: "/run/splice-lab/overlay/store/etcd1/etcd.pid")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd"), "needs etcd (etcd-server)"))
    func downAfterUpWasKilledRemovesTheRouter() throws {
        try killUpThenDown("overlay-routed-underlay.yaml", name: "ovrouted", after: "/run/netns/sl-ovrouted-router")
    }

    /// Starts `up FILE`, kills it with SIGKILL once `after` exists, then `down` must leave nothing.
    func killUpThenDown(_ file: String, name: String, after: String) throws {
        let path = Self.root.appendingPathComponent("netlab/labs/\(file)").path
        _ = try? Self.lab(["down", "--name", name])
        var pid: pid_t = 0
        let argv = [Self.binary("splice-lab"), "up", path]
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment =
            ProcessInfo.processInfo.environment.merging(["SPLICED_BIN": Self.spliced]) { $1 }
            .map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        try #require(posix_spawn(&pid, argv[0], nil, nil, &cArguments, &cEnvironment) == 0)
        // Wait until up has started the process `after` belongs to, then kill up outright.
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: after) { usleep(20_000) }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let down = try Self.lab(["down", "--name", name])
        #expect(down.status == 0, "\(down.output)")
        #expect(Self.leftovers(name) == [])
    }
}
