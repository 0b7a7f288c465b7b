import Foundation
import Glibc
import TestSupport
import Testing

/// --list, --detach, --batch, route/rule/tc, --wait, guests named by a container engine, and parallel
/// attaches racing to create one bridge.
@Suite(.enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)))
struct PipeworkToolsTests {
    @Test func listShowsWhatWasAttachedAndDetachRemovesIt() throws {
        let lab = try PipeworkLab("list")
        let a = try lab.guest("a")
        try lab.attach(["brl", "-i", "eth3", a, "10.30.0.1/24"])
        let listing = try lab.pipework(["--list"])
        #expect(listing.status == 0)
        let row = try #require(listing.stdout.split(separator: "\n").first { $0.hasPrefix(a) })
        #expect(row.contains("eth3") && row.contains("veth") && row.contains("brl"))
        try lab.attach(["--detach", a, "-i", "eth3"])
        #expect(try !lab.hasInterface(a, "eth3"))
        #expect(try lab.ip(lab.host, ["link", "show", "master", "brl"]).isEmpty)
        #expect(!(try lab.pipework(["--list"]).stdout.contains(a)))
    }

    @Test func detachRefusesInterfacesSpliceDidNotMake() throws {
        let lab = try PipeworkLab("foreign")
        let a = try lab.guest("a")
        try run("ip", ["-n", a, "link", "add", "eth1", "type", "veth", "peer", "name", "eth2"])
        let result = try lab.pipework(["--detach", a, "-i", "eth1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("not attached by Splice"))
        #expect(try lab.hasInterface(a, "eth1"))
    }

    @Test func batchAttachesEveryLineAndStopsAtTheFirstFailure() throws {
        let lab = try PipeworkLab("batch")
        let a = try lab.guest("a")
        let b = try lab.guest("b")
        let text = """
            # two guests on one bridge
            brb -i eth1 \(a) 10.31.0.1/24
            brb -i eth1 \(b) 10.31.0.2/24

            brb -i eth1 \(a) 10.31.0.3/24
            """
        let result = try lab.pipework(["--batch", "-"], input: text)
        #expect(result.status == 1)
        #expect(result.stderr.contains("line 5"))
        #expect(try lab.ping(from: a, "10.31.0.2"))
        #expect(try lab.ip(lab.host, ["link", "show", "master", "brb"]).count == 2)
    }

    @Test func routePassthroughRunsInTheGuest() throws {
        let lab = try PipeworkLab("route")
        let a = try lab.guest("a")
        try lab.attach(["brr", a, "10.32.0.1/24"])
        try lab.attach(["route", a, "add", "10.99.0.0/16", "via", "10.32.0.254"])
        let route = try #require(try lab.ip(a, ["route", "show", "10.99.0.0/16"]).first)
        #expect(route["gateway"] as? String == "10.32.0.254")
        #expect(try lab.ip(lab.host, ["route", "show", "10.99.0.0/16"]).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/var/run/netns/\(getpid())"))
    }

    @Test func parallelAttachesToOneNewBridgeDoNotRace() throws {
        let lab = try PipeworkLab("race")
        let count = 8
        let guests = try (0..<count).map { try lab.guest("g\($0)") }
        let processes = try guests.enumerated().map { index, guest in
            try lab.spawn("/usr/bin/nsenter", ["--net=/run/netns/\(lab.host)", PipeworkLab.binary, "brrace", guest,
                                               "10.33.0.\(index + 1)/24"])
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        #expect(try lab.ip(lab.host, ["link", "show", "master", "brrace"]).count == count)
        #expect(try lab.ping(from: guests[0], "10.33.0.\(count)"))
    }

    @Test func guestNamedByAContainerEngine() throws {
        let lab = try PipeworkLab("engine")
        let sleeper = try lab.spawn("/usr/bin/unshare", ["--net", "/bin/sleep", "60"])
        let engine = try FakeEngine(containers: ["web": sleeper.processIdentifier])
        defer { engine.stop() }
        usleep(200_000)  // let unshare enter its namespace before its PID's namespace is read
        let peer = try lab.guest("peer")
        try lab.attach(["bre", peer, "10.34.0.2/24"])
        let ok = try lab.pipework(["bre", "web", "10.34.0.1/24"], environment: ["DOCKER_HOST": "unix://\(engine.path)"])
        #expect(ok.status == 0, Comment(rawValue: ok.stderr))
        #expect(try lab.ping(from: peer, "10.34.0.1"))
        let missing = try lab.pipework(["bre", "nosuch", "10.34.0.3/24"], environment: ["DOCKER_HOST": "unix://\(engine.path)"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("\"nosuch\""))
    }

    @Test(.enabled(if: StaticBinary.isStatic, "the pipework under test is not statically linked (set PIPEWORK_BIN to the static release build, as scripts/test.sh does)"))
    func waitReturnsOnceTheInterfaceIsUpInsideABusyboxRootfs() throws {
        let lab = try PipeworkLab("wait")
        let g = try lab.guest("g")
        let rootfs = try StaticBinary.busyboxRootfs(with: PipeworkLab.binary)
        defer { try? FileManager.default.removeItem(atPath: rootfs) }
        // As in a container: /proc mounted (the static Swift runtime reads it at start), inside the private
        // mount namespace `ip netns exec` makes, so the mount vanishes with the process.
        let waiter = try lab.spawn("/usr/sbin/ip", ["netns", "exec", g, "sh", "-c",
            "mount -t proc proc \"$1/proc\" && exec chroot \"$1\" /bin/pipework --wait -i eth1", "sh", rootfs])
        usleep(300_000)
        #expect(waiter.isRunning)
        try lab.attach(["brw", g, "10.35.0.1/24"])
        for _ in 0..<50 where waiter.isRunning { usleep(100_000) }
        #expect(!waiter.isRunning)
        #expect(waiter.terminationStatus == 0)
    }
}

/// Facts about the pipework binary under test.
enum StaticBinary {
    /// Whether it needs no dynamic loader (`ldd` says "not a dynamic executable").
    static let isStatic: Bool = {
        guard let result = try? runStatus("ldd", [PipeworkLab.binary]) else { return false }
        return (result.stdout + result.stderr).contains("not a dynamic executable")
    }()

    /// A throwaway root file system holding only busybox and the pipework binary.
    static func busyboxRootfs(with binary: String) throws -> String {
        let root = NSTemporaryDirectory() + "splice-rootfs-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/proc", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: root + "/bin/busybox")
        try FileManager.default.copyItem(atPath: binary, toPath: root + "/bin/pipework")
        try FileManager.default.createSymbolicLink(atPath: root + "/bin/sh", withDestinationPath: "busybox")
        return root
    }
}
