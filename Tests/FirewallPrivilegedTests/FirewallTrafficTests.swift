import Firewall
import SystemKit
import TestSupport
import Testing

/// What the rules do to real packets: a scratch host namespace with bridges, sandboxes on veth pairs and an
/// outside namespace, traffic made with sockets opened in those namespaces.
@Suite("Firewall traffic", .enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)))
struct FirewallTrafficTests {
    private static let host = FirewallLab.hostUplinkAddress
    private static let outside = FirewallLab.outsideAddress
    /// How long a check that must fail waits, in milliseconds.
    private static let blocked: Int32 = 800

    /// One bridge, --icc and --ip-masq on: sandboxes talk; traffic to the outside leaves with the host's address;
    /// nothing outside reaches a sandbox directly.
    @Test func sameBridgeAndMasquerade() throws {
        let lab = try FirewallLab("fw-masq")
        try lab.bridge("br-a", address: "10.10.0.1/24")
        let one = try lab.sandbox("s1", bridge: "br-a", address: "10.10.0.2/24", gateway: "10.10.0.1", port: "vb1")
        let two = try lab.sandbox("s2", bridge: "br-a", address: "10.10.0.3/24", gateway: "10.10.0.1", port: "vb2")
        let outside = try lab.outside(routes: ["10.10.0.0/24"])
        try lab.firewall.apply(FirewallModel(networks: [try Lab.network("a", bridge: "br-a", subnet: "10.10.0.0/24")]))

        #expect(try Probe.tcp(from: two, to: "10.10.0.2", port: 80, server: one, listenPort: 80) == "10.10.0.3")
        #expect(try Probe.udp(from: two, to: "10.10.0.2", port: 53, server: one, listenPort: 53) == "10.10.0.3")
        #expect(try Probe.tcp(from: one, to: Self.outside, port: 8000, server: outside, listenPort: 8000) == Self.host)
        #expect(try Probe.udp(from: one, to: Self.outside, port: 8001, server: outside, listenPort: 8001) == Self.host)
        #expect(
            try Probe.tcp(
                from: outside, to: "10.10.0.2", port: 80, server: one, listenPort: 80,
                timeout: Self.blocked) == nil)
    }

    /// --ip-masq off: the sandbox's own address reaches the outside (which routes back through the host).
    @Test func withoutMasquerade() throws {
        let lab = try FirewallLab("fw-nomasq")
        try lab.bridge("br-a", address: "10.10.0.1/24")
        let one = try lab.sandbox("s1", bridge: "br-a", address: "10.10.0.2/24", gateway: "10.10.0.1", port: "vb1")
        let outside = try lab.outside(routes: ["10.10.0.0/24"])
        let network = try Lab.network("a", bridge: "br-a", subnet: "10.10.0.0/24", masquerade: false)
        try lab.firewall.apply(FirewallModel(networks: [network]))
        #expect(
            try Probe.tcp(from: one, to: Self.outside, port: 8000, server: outside, listenPort: 8000) == "10.10.0.2")
    }

    /// A published TCP and UDP port answers from the outside (source kept), from the host's 127.0.0.1 and host
    /// address, and from a sibling sandbox through the host address (hairpin, masqueraded to the bridge address);
    /// after `unpublish` it no longer answers.
    @Test func publishedPorts() throws {
        let lab = try FirewallLab("fw-pub")
        try lab.bridge("br-a", address: "10.10.0.1/24")
        let one = try lab.sandbox("s1", bridge: "br-a", address: "10.10.0.2/24", gateway: "10.10.0.1", port: "vb1")
        let two = try lab.sandbox("s2", bridge: "br-a", address: "10.10.0.3/24", gateway: "10.10.0.1", port: "vb2")
        let outside = try lab.outside()
        let host = lab.hostNamespace
        let web = try Lab.mapping(.tcp, 8080, to: "10.10.0.2", 80, on: "br-a")
        let dns = try Lab.mapping(.udp, 5353, to: "10.10.0.2", 53, on: "br-a")
        let local = try Lab.mapping(.tcp, 9090, to: "10.10.0.2", 90, on: "br-a", hostAddress: "127.0.0.1")
        try lab.firewall.apply(FirewallModel(networks: [try Lab.network("a", bridge: "br-a", subnet: "10.10.0.0/24")]))
        try lab.firewall.publish([web, dns, local])

        #expect(try Probe.tcp(from: outside, to: Self.host, port: 8080, server: one, listenPort: 80) == Self.outside)
        #expect(try Probe.udp(from: outside, to: Self.host, port: 5353, server: one, listenPort: 53) == Self.outside)
        #expect(try Probe.tcp(from: host, to: "127.0.0.1", port: 8080, server: one, listenPort: 80) == "10.10.0.1")
        #expect(try Probe.udp(from: host, to: "127.0.0.1", port: 5353, server: one, listenPort: 53) == "10.10.0.1")
        #expect(try Probe.tcp(from: host, to: "127.0.0.1", port: 9090, server: one, listenPort: 90) == "10.10.0.1")
        #expect(try Probe.tcp(from: host, to: Self.host, port: 8080, server: one, listenPort: 80) == Self.host)
        #expect(try Probe.tcp(from: two, to: Self.host, port: 8080, server: one, listenPort: 80) == "10.10.0.1")
        #expect(try Probe.tcp(from: two, to: "10.10.0.1", port: 8080, server: one, listenPort: 80) == "10.10.0.1")
        #expect(try Probe.udp(from: two, to: Self.host, port: 5353, server: one, listenPort: 53) == "10.10.0.1")
        // Published on 127.0.0.1 only: not on the host's other addresses.
        #expect(
            try Probe.tcp(
                from: outside, to: Self.host, port: 9090, server: one, listenPort: 90,
                timeout: Self.blocked) == nil)

        try lab.firewall.unpublish([web, dns])
        #expect(
            try Probe.tcp(
                from: outside, to: Self.host, port: 8080, server: one, listenPort: 80,
                timeout: Self.blocked) == nil)
        #expect(
            try Probe.udp(
                from: outside, to: Self.host, port: 5353, server: one, listenPort: 53,
                timeout: Self.blocked) == nil)
    }

    /// --icc=false stops sandboxes on one bridge talking, while the published port still answers them through the
    /// host address: with br_netfilter active (this kernel's default) and with it switched off for the namespace,
    /// where the layer-2 port set does the work alone. Without the ports listed and without br_netfilter, nothing
    /// at layer 3 can see bridged traffic, which is why the port set exists.
    @Test func interContainerOff() throws {
        let lab = try FirewallLab("fw-icc")
        try lab.bridge("br-a", address: "10.10.0.1/24")
        let one = try lab.sandbox("s1", bridge: "br-a", address: "10.10.0.2/24", gateway: "10.10.0.1", port: "vb1")
        let two = try lab.sandbox("s2", bridge: "br-a", address: "10.10.0.3/24", gateway: "10.10.0.1", port: "vb2")
        try lab.outside()
        let bare = try Lab.network("a", bridge: "br-a", subnet: "10.10.0.0/24", interContainer: false)
        var network = bare
        network.ports = ["vb1"]
        let web = try Lab.mapping(.tcp, 8080, to: "10.10.0.2", 80, on: "br-a")
        try lab.firewall.apply(FirewallModel(networks: [network], portMappings: [web]))
        try lab.firewall.addPorts(["vb2"], to: network)
        let bridgeNetfilter = "net.bridge.bridge-nf-call-iptables"

        for enabled in ["1", "0"] {
            try lab.sysctl(bridgeNetfilter, enabled)
            #expect(
                try Probe.tcp(
                    from: two, to: "10.10.0.2", port: 80, server: one, listenPort: 80,
                    timeout: Self.blocked) == nil, "br_netfilter \(enabled)")
            #expect(
                try Probe.udp(
                    from: two, to: "10.10.0.2", port: 53, server: one, listenPort: 53,
                    timeout: Self.blocked) == nil, "br_netfilter \(enabled)")
            #expect(
                try Probe.tcp(from: two, to: Self.host, port: 8080, server: one, listenPort: 80) == "10.10.0.1",
                "br_netfilter \(enabled)")
            #expect(
                try Probe.tcp(from: lab.hostNamespace, to: "10.10.0.2", port: 80, server: one, listenPort: 80)
                    == "10.10.0.1", "br_netfilter \(enabled)")
        }

        // Only the inet rule (no ports listed): it holds while br_netfilter is on, and sees nothing when it is off.
        try lab.firewall.apply(FirewallModel(networks: [bare], portMappings: [web]))
        try lab.sysctl(bridgeNetfilter, "1")
        #expect(
            try Probe.tcp(
                from: two, to: "10.10.0.2", port: 80, server: one, listenPort: 80,
                timeout: Self.blocked) == nil)
        try lab.sysctl(bridgeNetfilter, "0")
        #expect(try Probe.tcp(from: two, to: "10.10.0.2", port: 80, server: one, listenPort: 80) == "10.10.0.3")

        // And --icc back on lets them talk again.
        try lab.sysctl(bridgeNetfilter, "1")
        try lab.firewall.apply(
            FirewallModel(networks: [try Lab.network("a", bridge: "br-a", subnet: "10.10.0.0/24")], portMappings: [web])
        )
        #expect(try Probe.tcp(from: two, to: "10.10.0.2", port: 80, server: one, listenPort: 80) == "10.10.0.3")
    }

    /// Two networks cannot reach each other (the host routes between them, so it is the rules that stop it), yet
    /// both reach the outside, and a port published by one is reachable from the other through the host address.
    @Test func networksAreIsolated() throws {
        let lab = try FirewallLab("fw-iso")
        try lab.bridge("br-a", address: "10.10.0.1/24")
        try lab.bridge("br-b", address: "10.20.0.1/24")
        let a = try lab.sandbox("a1", bridge: "br-a", address: "10.10.0.2/24", gateway: "10.10.0.1", port: "vba1")
        let b = try lab.sandbox("b1", bridge: "br-b", address: "10.20.0.2/24", gateway: "10.20.0.1", port: "vbb1")
        let outside = try lab.outside()
        #expect(try Probe.tcp(from: a, to: "10.20.0.2", port: 80, server: b, listenPort: 80) == "10.10.0.2")

        let model = FirewallModel(
            networks: [
                try Lab.network("a", bridge: "br-a", subnet: "10.10.0.0/24"),
                try Lab.network("b", bridge: "br-b", subnet: "10.20.0.0/24"),
            ],
            portMappings: [try Lab.mapping(.tcp, 8080, to: "10.20.0.2", 80, on: "br-b")])
        try lab.firewall.apply(model)
        #expect(
            try Probe.tcp(from: a, to: "10.20.0.2", port: 80, server: b, listenPort: 80, timeout: Self.blocked) == nil)
        #expect(
            try Probe.tcp(from: b, to: "10.10.0.2", port: 80, server: a, listenPort: 80, timeout: Self.blocked) == nil)
        #expect(
            try Probe.udp(from: a, to: "10.20.0.2", port: 53, server: b, listenPort: 53, timeout: Self.blocked) == nil)
        #expect(try Probe.tcp(from: a, to: Self.outside, port: 8000, server: outside, listenPort: 8000) == Self.host)
        #expect(try Probe.tcp(from: b, to: Self.outside, port: 8000, server: outside, listenPort: 8000) == Self.host)
        #expect(try Probe.tcp(from: a, to: Self.host, port: 8080, server: b, listenPort: 80) == "10.20.0.1")
    }

    /// Another table's forward chain with policy drop (Docker's `filter FORWARD`) drops Splice's forwarded traffic
    /// whatever Splice's table accepts (netfilter: every base chain on a hook runs and a drop is final); traffic
    /// that is not forwarded (host -> 127.0.0.1 -> sandbox) still works. `current()` names the blocking chain.
    /// Deleting the other table (here the test plays the other tool) brings the traffic back.
    @Test func foreignForwardDropPolicyWins() throws {
        let lab = try FirewallLab("fw-drop")
        try lab.bridge("br-a", address: "10.10.0.1/24")
        let one = try lab.sandbox("s1", bridge: "br-a", address: "10.10.0.2/24", gateway: "10.10.0.1", port: "vb1")
        let two = try lab.sandbox("s2", bridge: "br-a", address: "10.10.0.3/24", gateway: "10.10.0.1", port: "vb2")
        let outside = try lab.outside()
        try lab.firewall.apply(
            FirewallModel(
                networks: [try Lab.network("a", bridge: "br-a", subnet: "10.10.0.0/24")],
                portMappings: [try Lab.mapping(.tcp, 8080, to: "10.10.0.2", 80, on: "br-a")]))
        try lab.nft(
            ["-f", "-"],
            input: """
                table ip filter {
                \tchain FORWARD {
                \t\ttype filter hook forward priority filter; policy drop;
                \t}
                }

                """)
        let blocking = try lab.firewall.current().forwardDropChains
        #expect(blocking.map { "\($0.family.rawValue) \($0.table) \($0.name)" } == ["ip filter FORWARD"])

        #expect(
            try Probe.tcp(
                from: outside, to: Self.host, port: 8080, server: one, listenPort: 80,
                timeout: Self.blocked) == nil)
        #expect(
            try Probe.tcp(
                from: one, to: Self.outside, port: 8000, server: outside, listenPort: 8000,
                timeout: Self.blocked) == nil)
        // br_netfilter is on, so even bridged traffic between two sandboxes meets the foreign FORWARD chain.
        #expect(
            try Probe.tcp(
                from: two, to: "10.10.0.2", port: 80, server: one, listenPort: 80,
                timeout: Self.blocked) == nil)
        #expect(
            try Probe.tcp(from: lab.hostNamespace, to: "127.0.0.1", port: 8080, server: one, listenPort: 80)
                == "10.10.0.1")

        try lab.nft(["delete", "table", "ip", "filter"])
        #expect(try lab.firewall.current().forwardDropChains.isEmpty)
        #expect(try Probe.tcp(from: outside, to: Self.host, port: 8080, server: one, listenPort: 80) == Self.outside)
        #expect(try Probe.tcp(from: two, to: "10.10.0.2", port: 80, server: one, listenPort: 80) == "10.10.0.3")
    }
}
