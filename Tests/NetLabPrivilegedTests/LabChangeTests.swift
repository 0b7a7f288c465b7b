import Foundation
import Glibc
import Testing

/// A second `splice lab up` of an edited file applies the difference: what left the file is removed, what changed
/// is made again, what is new is added, and what did not change keeps running untouched.
@Suite(.serialized, .enabled(if: getuid() == 0, "needs root: labs create network namespaces and start spliced"))
struct LabChangeTests {
    static let name = "labdiff"

    static let before = """
        name: labdiff
        images: {bb: busybox}
        hosts: {h1: {}, h2: {}}
        underlay: {subnet: 10.94.0.0/24}
        networks:
          lan: {subnet: 172.30.44.0/24}
        nodes:
          keep: {host: h1, image: bb, networks: {lan: {ip: 172.30.44.10}}}
          change: {host: h1, image: bb, networks: {lan: {ip: 172.30.44.20}}}
          gone: {host: h1, image: bb, networks: [lan]}
          far: {host: h2, image: bb, networks: [lan]}
        links:
          - endpoints: [keep:eth1, change:eth1]
            addresses: [10.77.0.1/30, 10.77.0.2/30]
        """

    static let after = """
        name: labdiff
        images: {bb: busybox}
        hosts: {h1: {}}
        underlay: {subnet: 10.94.0.0/24}
        networks:
          lan: {subnet: 172.30.44.0/24}
        nodes:
          keep: {host: h1, image: bb, networks: {lan: {ip: 172.30.44.10}}}
          change: {host: h1, image: bb, networks: {lan: {ip: 172.30.44.21}}}
          fresh: {host: h1, image: bb, networks: [lan]}
        links:
          - endpoints: [keep:eth1, change:eth1]
            addresses: [10.77.0.1/30, 10.77.0.2/30]
        """

    /// `splice inspect --format FORMAT NAME` against host `host`'s spliced.
    static func inspect(_ node: String, on host: String, format: String) throws -> ShippedLabTests.Run {
        try ShippedLabTests.spawn([
            ShippedLabTests.splice, "-H", "unix:///run/splice-lab/\(name)/hosts/\(host)/splice.sock", "inspect",
            "--format", format, node,
        ])
    }

    @Test func editedFileRemovesTheRemovedRecreatesTheChangedAndLeavesTheRestAlone() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("labdiff-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("lab.yaml")
        _ = try? ShippedLabTests.lab(["down", "--name", Self.name])
        defer { _ = try? ShippedLabTests.lab(["down", "--name", Self.name]) }

        try Self.before.write(to: file, atomically: true, encoding: .utf8)
        let up = try ShippedLabTests.lab(["up", file.path])
        try #require(up.status == 0, "\(up.output)")
        let keepID = try Self.inspect("keep", on: "h1", format: "{{.Id}}")
        try #require(keepID.status == 0, "\(keepID.output)")
        let ping = try ShippedLabTests.lab(["exec", "keep", "--", "ping", "-c", "1", "-W", "2", "10.77.0.2"])
        #expect(ping.status == 0, "\(ping.output)")

        // A file that refers to an image that does not exist changes nothing.
        try Self.after.replacingOccurrences(of: "fresh: {host: h1, image: bb", with: "fresh: {host: h1, image: nope")
            .write(to: file, atomically: true, encoding: .utf8)
        let bad = try ShippedLabTests.lab(["up", file.path])
        #expect(bad.status == 1)
        #expect(bad.output.contains("node 'fresh': no image named 'nope'"), "\(bad.output)")
        #expect(try Self.inspect("gone", on: "h1", format: "{{.State.Running}}").output.contains("true"))
        #expect(FileManager.default.fileExists(atPath: "/run/netns/sl-\(Self.name)-h2"))

        // A changed underlay is refused on a running lab, before anything changes.
        try Self.after.replacingOccurrences(of: "10.94.0.0/24", with: "10.93.0.0/24")
            .write(to: file, atomically: true, encoding: .utf8)
        let underlay = try ShippedLabTests.lab(["up", file.path])
        #expect(underlay.status == 1)
        #expect(
            underlay.output.contains("'splice lab up' does not change those on a running lab"), "\(underlay.output)")
        #expect(FileManager.default.fileExists(atPath: "/run/netns/sl-\(Self.name)-h2"))

        try Self.after.write(to: file, atomically: true, encoding: .utf8)
        let edited = try ShippedLabTests.lab(["up", file.path])
        #expect(edited.status == 0, "\(edited.output)")
        for line in [
            "recreate link keep:eth1--change:eth1: change is recreated",
            "recreate node change: networks lan ip 172.30.44.20 -> lan ip 172.30.44.21",
            "remove node gone (not in the file)",
            "remove node far (not in the file)",
            "remove host h2 (not in the file)",
            "add node fresh",
        ] {
            #expect(edited.output.contains(line), "\(edited.output)")
        }
        #expect(!edited.output.contains("node keep"), "\(edited.output)")

        // The removed node and host are gone; the changed node has its new address; the untouched node kept its
        // container; the recreated link carries traffic again; the new node reaches the changed one.
        #expect(try Self.inspect("gone", on: "h1", format: "{{.Id}}").status != 0)
        #expect(!FileManager.default.fileExists(atPath: "/run/netns/sl-\(Self.name)-h2"))
        #expect(!FileManager.default.fileExists(atPath: "/run/splice-lab/\(Self.name)/hosts/h2"))
        #expect(ShippedLabTests.leftovers(Self.name).filter { $0.contains("/hosts/h2/") } == [])
        let address = try Self.inspect("change", on: "h1", format: "{{.NetworkSettings.Networks.lan.IPAddress}}")
        #expect(address.output.trimmingCharacters(in: .whitespacesAndNewlines) == "172.30.44.21")
        #expect(try Self.inspect("keep", on: "h1", format: "{{.Id}}").output == keepID.output)
        let overLink = try ShippedLabTests.lab(["exec", "keep", "--", "ping", "-c", "1", "-W", "2", "10.77.0.2"])
        #expect(overLink.status == 0, "\(overLink.output)")
        let fresh = try ShippedLabTests.lab(["exec", "fresh", "--", "ping", "-c", "1", "-W", "2", "172.30.44.21"])
        #expect(fresh.status == 0, "\(fresh.output)")
        let inspect = try ShippedLabTests.lab(["inspect", "--name", Self.name, "--format", "json"])
        #expect(!inspect.output.contains("\"h2\""), "\(inspect.output)")

        let again = try ShippedLabTests.lab(["up", file.path])
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("lab \(Self.name) is up; nothing to change"), "\(again.output)")
        #expect(try Self.inspect("keep", on: "h1", format: "{{.Id}}").output == keepID.output)

        let down = try ShippedLabTests.lab(["down", "--name", Self.name])
        #expect(down.status == 0, "\(down.output)")
        #expect(ShippedLabTests.leftovers(Self.name) == [])
    }

    static let overlayBefore = """
        name: labdiffov
        images: {bb: busybox}
        store: {kind: etcd, lease-ttl: 5}
        hosts: {h1: {}, h2: {}, h3: {}}
        underlay: {subnet: 10.93.0.0/24}
        networks:
          ov: {driver: overlay, subnet: 10.53.0.0/24}
        nodes:
          na: {host: h1, image: bb, networks: [ov]}
          nb: {host: h2, image: bb, networks: [ov]}
          nc: {host: h3, image: bb, networks: [ov]}
        tests:
          - reach: {from: na, to: nc}
          - fdb: {host: h1, mac: "00:00:00:00:00:00", dst: h3}
        """

    /// The overlay's subnet changes and h3 leaves the file: its lease is revoked as it is torn down, so h1 drops
    /// its flood entry once the departed peer's grace (one lease TTL) ends.
    static let overlayAfter = """
        name: labdiffov
        images: {bb: busybox}
        store: {kind: etcd, lease-ttl: 5}
        hosts: {h1: {}, h2: {}}
        underlay: {subnet: 10.93.0.0/24}
        networks:
          ov: {driver: overlay, subnet: 10.54.0.0/24}
        nodes:
          na: {host: h1, image: bb, networks: [ov]}
          nb: {host: h2, image: bb, networks: [ov]}
        tests:
          - reach: {from: na, to: nb}
          - reach: {from: nb, to: na}
          - dns: {from: na, name: nb, address: nb}
          - fdb: {host: h1, node: nb, dst: h2}
          - fdb: {host: h1, mac: "00:00:00:00:00:00", dst: 10.93.0.3, absent: true}
            within: 20
        """

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd"), "needs etcd (etcd-server)"))
    func changedOverlayIsRecreatedOnEveryHostAndARemovedHostLeavesTheStore() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("labdiffov-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("lab.yaml")
        _ = try? ShippedLabTests.lab(["down", "--name", "labdiffov"])
        defer { _ = try? ShippedLabTests.lab(["down", "--name", "labdiffov"]) }

        try Self.overlayBefore.write(to: file, atomically: true, encoding: .utf8)
        let up = try ShippedLabTests.lab(["up", file.path])
        try #require(up.status == 0, "\(up.output)")
        let before = try ShippedLabTests.lab(["test", file.path])
        #expect(before.status == 0, "\(before.output)")

        try Self.overlayAfter.write(to: file, atomically: true, encoding: .utf8)
        let edited = try ShippedLabTests.lab(["up", file.path])
        #expect(edited.status == 0, "\(edited.output)")
        for line in [
            "recreate node na: network ov is recreated", "recreate node nb: network ov is recreated",
            "remove node nc (not in the file)", "recreate network ov: subnet 10.53.0.0/24 -> 10.54.0.0/24",
            "remove host h3 (not in the file)",
        ] {
            #expect(edited.output.contains(line), "\(edited.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/run/netns/sl-labdiffov-h3"))
        let address = try ShippedLabTests.spawn([
            ShippedLabTests.splice, "-H", "unix:///run/splice-lab/labdiffov/hosts/h2/splice.sock", "inspect",
            "--format", "{{.NetworkSettings.Networks.ov.IPAddress}}", "nb",
        ])
        #expect(address.output.hasPrefix("10.54.0."), "\(address.output)")
        let after = try ShippedLabTests.lab(["test", file.path])
        #expect(after.status == 0, "\(after.output)")
        #expect(after.output.contains("5 passed, 0 failed"), "\(after.output)")

        let down = try ShippedLabTests.lab(["down", "--name", "labdiffov"])
        #expect(down.status == 0, "\(down.output)")
        #expect(ShippedLabTests.leftovers("labdiffov") == [])
    }

    /// On a routed underlay a host added to a running lab gets its own segment on the router, and a removed host's
    /// segment goes with it (its router port deleted), while the other hosts keep theirs.
    @Test func aHostAddedToARoutedUnderlayGetsASegmentAndARemovedOneTakesItsSegment() throws {
        let name = "labdiffrt"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("lab.yaml")
        _ = try? ShippedLabTests.lab(["down", "--name", name])
        defer { _ = try? ShippedLabTests.lab(["down", "--name", name]) }
        let lab = """
            name: \(name)
            hosts: {h1: {engine: none}, h2: {engine: none}}
            underlay: {kind: routed, subnet: 10.92.0.0/24}
            tests:
              - reach: {from: h1, to: h2}
            """
        try lab.write(to: file, atomically: true, encoding: .utf8)
        let up = try ShippedLabTests.lab(["up", file.path])
        try #require(up.status == 0, "\(up.output)")
        try (lab.replacingOccurrences(of: "h2: {engine: none}}", with: "h2: {engine: none}, h3: {engine: none}}")
            + "\n  - reach: {from: h3, to: h1}\n  - reach: {from: h2, to: h3}\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let added = try ShippedLabTests.lab(["up", file.path])
        #expect(added.status == 0, "\(added.output)")
        #expect(added.output.contains("add host h3"), "\(added.output)")
        let test = try ShippedLabTests.lab(["test", file.path])
        #expect(test.output.contains("3 passed, 0 failed"), "\(test.output)")
        let router = try ShippedLabTests.spawn(["/usr/sbin/ip", "-n", "sl-\(name)-router", "-br", "addr"])
        #expect(router.output.contains("10.92.0.9/30"), "\(router.output)")

        try lab.write(to: file, atomically: true, encoding: .utf8)
        let removed = try ShippedLabTests.lab(["up", file.path])
        #expect(removed.status == 0, "\(removed.output)")
        #expect(removed.output.contains("remove host h3 (not in the file)"), "\(removed.output)")
        #expect(!removed.output.contains("host h2"), "\(removed.output)")
        let after = try ShippedLabTests.spawn(["/usr/sbin/ip", "-n", "sl-\(name)-router", "-br", "addr"])
        #expect(after.output.contains("10.92.0.5/30"), "\(after.output)")
        #expect(!after.output.contains("10.92.0.9/30"), "\(after.output)")
        #expect(try ShippedLabTests.lab(["test", file.path]).output.contains("1 passed, 0 failed"))
        let down = try ShippedLabTests.lab(["down", "--name", name])
        #expect(down.status == 0, "\(down.output)")
        #expect(ShippedLabTests.leftovers(name) == [])
    }
}
