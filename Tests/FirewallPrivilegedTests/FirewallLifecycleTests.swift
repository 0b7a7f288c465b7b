import Firewall
import Foundation
import SystemKit
import TestSupport
import Testing

/// Apply, read back, replace, publish and remove, each in its own scratch namespace, checked against `nft` itself.
@Suite("Firewall lifecycle", .enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)))
struct FirewallLifecycleTests {
    private static let front = (try? Lab.network("front", bridge: "br-front", subnet: "10.10.0.0/24"))
    private static let back =
        (try? Lab.network(
            "back", bridge: "br-back", subnet: "10.20.0.0/24", masquerade: false, interContainer: false,
            ports: ["vb-back1"]))

    private func networks() throws -> (NetworkRules, NetworkRules) {
        (try #require(Self.front), try #require(Self.back))
    }

    /// `nft list tables` inside `namespace`, one "family name" per line, sorted.
    private func tables(in namespace: NetworkNamespace) throws -> [String] {
        let output = try runIn(namespace, ["nft", "list", "tables"])
        #expect(output.status == 0, "\(output.stderr)")
        return output.stdout.split(separator: "\n").map { String($0).replacing("table ", with: "") }.sorted()
    }

    /// The model's mappings come back from the kernel; a second model replaces the first entirely; the empty model
    /// and `removeAll` delete Splice's tables, also when they are already gone.
    @Test func applyReadBackReplaceRemove() throws {
        let (front, back) = try networks()
        let namespace = try NetworkNamespace.anonymous()
        let firewall = try Firewall(namespace: namespace)
        #expect(try firewall.current() == FirewallState())

        let web = try Lab.mapping(.tcp, 8080, to: "10.10.0.2", 80, on: "br-front")
        let dns = try Lab.mapping(.udp, 5353, to: "10.10.0.2", 53, on: "br-front", hostAddress: "192.0.2.1")
        let admin = try Lab.mapping(.tcp, 9090, to: "10.20.0.3", 90, on: "br-back", hostAddress: "127.0.0.1")
        try firewall.apply(FirewallModel(networks: [front, back], portMappings: [web, dns, admin]))
        #expect(try tables(in: namespace) == ["bridge splice", "inet splice", "ip splice-nat"])
        var state = try firewall.current()
        #expect(Set(state.portMappings) == [web, dns, admin])
        #expect(state.isolatedPorts == ["vb-back1"])
        #expect(state.chain(.inet, "splice", "forward")?.ruleCount == 8)
        #expect(state.chain(.ip, "splice-nat", "published")?.ruleCount == 4)
        #expect(state.forwardDropChains.isEmpty)

        // The kernel's own view agrees (nft -j, an independent reader).
        let listing = try runIn(namespace, ["nft", "-j", "list", "map", "ip", "splice-nat", "tcp-ports"])
        #expect(listing.stdout.contains(#"{"concat": ["127.0.0.1", 9090]}"#))

        let other = try Lab.mapping(.tcp, 8443, to: "10.10.0.5", 443, on: "br-front")
        try firewall.apply(FirewallModel(networks: [front], portMappings: [other]))
        state = try firewall.current()
        #expect(state.portMappings == [other])
        #expect(!state.hasTable(.bridge, "splice"))
        #expect(state.chain(.inet, "splice", "prerouting") == nil)
        #expect(try tables(in: namespace) == ["inet splice", "ip splice-nat"])

        try firewall.apply(.empty)
        #expect(try firewall.current().isEmpty)
        #expect(try tables(in: namespace).isEmpty)
        try firewall.removeAll()
        try firewall.apply(.empty)
        #expect(try tables(in: namespace).isEmpty)
    }

    /// Another tool's `table ip filter` (with a FORWARD policy of drop, as Docker leaves it) stays byte-for-byte the
    /// same through apply, publish, unpublish and removeAll, and read-back reports its FORWARD chain as a blocker.
    @Test func foreignTablesStayIntact() throws {
        let (front, back) = try networks()
        let namespace = try NetworkNamespace.anonymous()
        let foreign = """
            table ip filter {
            \tchain FORWARD {
            \t\ttype filter hook forward priority filter; policy drop;
            \t\tjump DOCKER-USER
            \t\tiifname "docker0" oifname "docker0" accept
            \t}
            \tchain DOCKER-USER {
            \t\treturn
            \t}
            }
            table ip nat {
            \tchain POSTROUTING {
            \t\ttype nat hook postrouting priority srcnat; policy accept;
            \t\tip saddr 172.17.0.0/16 oifname != "docker0" masquerade
            \t}
            }

            """
        let loaded = try runStatus("nsenter", ["--net=\(procPath(of: namespace))", "nft", "-f", "-"], input: foreign)
        try #require(loaded.status == 0, "\(loaded.stderr)")
        func snapshot() throws -> String {
            let filter = try runIn(namespace, ["nft", "list", "table", "ip", "filter"]).stdout
            let nat = try runIn(namespace, ["nft", "list", "table", "ip", "nat"]).stdout
            return filter + nat
        }
        let before = try snapshot()
        #expect(before.contains("policy drop"))

        let firewall = try Firewall(namespace: namespace)
        let web = try Lab.mapping(.tcp, 8080, to: "10.10.0.2", 80, on: "br-front")
        try firewall.apply(FirewallModel(networks: [front, back], portMappings: [web]))
        #expect(try snapshot() == before)
        let state = try firewall.current()
        #expect(
            state.forwardDropChains.map(\.description) == [
                "chain ip filter FORWARD (filter hook forward priority 0; policy drop)"
            ])
        #expect(state.tables.count == 3)
        try firewall.publish([try Lab.mapping(.udp, 53, to: "10.10.0.2", 53, on: "br-front")])
        try firewall.unpublish([web])
        #expect(try snapshot() == before)
        try firewall.removeAll()
        #expect(try snapshot() == before)
        #expect(try tables(in: namespace) == ["ip filter", "ip nat"])
    }

    /// `publish` adds elements only; a second identical publish is no error; a conflicting one fails as a whole
    /// (one transaction: its other mappings are not added either); `unpublish` removes exactly what it names,
    /// tolerates what is gone and refuses to remove another mapping on the same host port.
    @Test func publishAndUnpublish() throws {
        let (front, _) = try networks()
        let namespace = try NetworkNamespace.anonymous()
        let firewall = try Firewall(namespace: namespace)
        try firewall.apply(FirewallModel(networks: [front]))
        let rulesBefore = try firewall.current().chains

        let web = try Lab.mapping(.tcp, 8080, to: "10.10.0.2", 80, on: "br-front")
        let dns = try Lab.mapping(.udp, 5353, to: "10.10.0.2", 53, on: "br-front", hostAddress: "127.0.0.1")
        try firewall.publish([web, dns])
        var state = try firewall.current()
        #expect(Set(state.portMappings) == [web, dns])
        #expect(state.chains == rulesBefore)
        try firewall.publish([web])

        var hijack = web
        hijack.containerAddress = try Lab.address("10.10.0.9")
        let extra = try Lab.mapping(.tcp, 7000, to: "10.10.0.2", 70, on: "br-front")
        let conflict = #expect(throws: FirewallError.self) { try firewall.publish([extra, hijack]) }
        #expect(conflict?.meansConflict == true)
        #expect(conflict?.operation == "publish")
        #expect(conflict?.message == "Could not process rule: File exists")
        #expect(conflict?.command?.hasPrefix("add element ip splice-nat tcp-any-ports { ") == true)
        state = try firewall.current()
        #expect(Set(state.portMappings) == [web, dns])

        let refused = #expect(throws: FirewallError.self) { try firewall.unpublish([hijack]) }
        #expect(refused?.meansConflict == true)
        #expect(Set(try firewall.current().portMappings) == [web, dns])

        try firewall.unpublish([web])
        #expect(try firewall.current().portMappings == [dns])
        try firewall.unpublish([web])
        try firewall.unpublish([dns, web])
        #expect(try firewall.current().portMappings.isEmpty)

        try firewall.removeAll()
        try firewall.unpublish([web])
        #expect(throws: FirewallError.self) { try firewall.publish([web]) }
    }

    /// A mapping published on IPv6 too comes back with its IPv6 target, so unpublishing what was read back (as the
    /// orphan sweep after a crash does) removes both elements; an IPv6 element left alone comes back as well.
    @Test func ipv6TargetsAreReadBackAndUnpublished() throws {
        var dual = try Lab.network("dual", bridge: "br-dual", subnet: "10.30.0.0/24")
        dual.subnet6 = try #require(IPNetwork("fd00:30::/64"))
        let namespace = try NetworkNamespace.anonymous()
        let firewall = try Firewall(namespace: namespace)
        try firewall.apply(FirewallModel(networks: [dual]))
        var web = try Lab.mapping(.tcp, 8080, to: "10.30.0.2", 80, on: "br-dual")
        web.containerAddress6 = try #require(IPv6Address("fd00:30::2"))
        try firewall.publish([web])
        let read = try firewall.current().portMappings
        #expect(read == [web])

        var readBack = try #require(read.first)
        try firewall.unpublish([readBack])
        #expect(try firewall.current().portMappings.isEmpty)
        let map = try runIn(namespace, ["nft", "list", "map", "inet", "splice", "tcp6-any-ports"])
        #expect(map.status == 0, "\(map.stderr)")
        #expect(!map.stdout.contains("fd00:30::2"), "\(map.stdout)")

        // Only the IPv6 element (as if its IPv4 element had been deleted by hand): read back, then unpublished.
        try firewall.publish([web])
        let drop = try runIn(namespace, ["nft", "delete", "element", "ip", "splice-nat", "tcp-any-ports", "{ 8080 }"])
        #expect(drop.status == 0, "\(drop.stderr)")
        readBack = try #require(try firewall.current().portMappings.first)
        #expect(readBack.containerAddress6 == web.containerAddress6)
        #expect(readBack.hostPort == 8080)
        try firewall.unpublish([readBack])
        #expect(try firewall.current().portMappings.isEmpty)
    }

    /// Ports of an --icc=false network go in and out of the isolation set; for an --icc=true network nothing happens.
    @Test func isolationPorts() throws {
        let (front, back) = try networks()
        let namespace = try NetworkNamespace.anonymous()
        let firewall = try Firewall(namespace: namespace)
        try firewall.apply(FirewallModel(networks: [front, back]))
        try firewall.addPorts(["vb-back2", "vb-back3"], to: back)
        try firewall.addPorts(["vb-front1"], to: front)
        #expect(try firewall.current().isolatedPorts.sorted() == ["vb-back1", "vb-back2", "vb-back3"])
        try firewall.removePorts(["vb-back1", "vb-back3", "vb-gone"], from: back)
        #expect(try firewall.current().isolatedPorts == ["vb-back2"])
        #expect(throws: FirewallError.self) { try firewall.addPorts(["bad*"], to: back) }
        try firewall.removeAll()
        try firewall.removePorts(["vb-back2"], from: back)
    }

    /// An invalid model is refused before anything reaches the kernel: the applied rules stay as they were.
    @Test func invalidModelChangesNothing() throws {
        let (front, back) = try networks()
        let namespace = try NetworkNamespace.anonymous()
        let firewall = try Firewall(namespace: namespace)
        let web = try Lab.mapping(.tcp, 8080, to: "10.10.0.2", 80, on: "br-front")
        try firewall.apply(FirewallModel(networks: [front, back], portMappings: [web]))
        let before = try firewall.current()
        let stray = try Lab.mapping(.tcp, 8081, to: "10.99.0.2", 80, on: "br-front")
        let error = #expect(throws: FirewallError.self) {
            try firewall.apply(FirewallModel(networks: [front], portMappings: [web, stray]))
        }
        #expect(error?.kind == .invalidModel)
        #expect(error?.operation == "apply")
        #expect(try firewall.current() == before)
    }

    /// Without a namespace the firewall works on the calling thread's own namespace.
    @Test func callersOwnNamespace() throws {
        let (front, _) = try networks()
        let namespace = try NetworkNamespace.anonymous()
        let tablesThere = try namespace.perform { () throws(FirewallError) -> [FirewallState.Table] in
            let firewall = try Firewall()
            try firewall.apply(FirewallModel(networks: [front]))
            return try firewall.current().tables
        }
        #expect(tablesThere.count == 2)
        #expect(try tables(in: namespace) == ["inet splice", "ip splice-nat"])
    }
}
