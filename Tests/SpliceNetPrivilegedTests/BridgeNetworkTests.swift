import Foundation
import NetlinkKit
import SpliceNet
import SystemKit
import TestSupport
import Testing

/// The bridge driver end to end in scratch namespaces acting as the host: connectivity, --icc, isolation,
/// masquerade, published ports from every side, and clean failures.
@Suite(.enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)))
struct BridgeNetworkTests {
    @Test func twoSandboxesOnOneNetworkTalkAndGetDockerStyleAddresses() throws {
        let lab = try NetworkLab("talk")
        let network = try lab.driver.createNetwork(BridgeNetworkOptions(name: "net1", bridge: "splice0"))
        #expect(network.subnet.description == "172.18.0.0/16")
        #expect(network.gateway.description == "172.18.0.1")
        let (a, endpointA) = try lab.sandbox("a", on: "net1")
        let (_, endpointB) = try lab.sandbox("b", on: "net1")
        #expect(endpointA.address.description == "172.18.0.2")
        #expect(endpointB.address.description == "172.18.0.3")
        #expect(endpointA.mac.description == "02:42:ac:12:00:02")
        #expect(endpointA.interface == "eth0")
        #expect(try lab.ping(a.namespace, "172.18.0.3"))
        let route = try #require(try ipJSON(in: a.namespace, ["route", "show", "default"]).first)
        #expect(route["gateway"] as? String == "172.18.0.1")
        let lo = try #require(try ipJSON(in: a.namespace, ["link", "show", "lo"]).first)
        #expect((lo["flags"] as? [String])?.contains("UP") == true)
    }

    @Test func interContainerTrafficIsDroppedWithIccOff() throws {
        let lab = try NetworkLab("icc")
        try lab.driver.createNetwork(BridgeNetworkOptions(name: "quiet", bridge: "spq0", interContainer: false))
        let (a, _) = try lab.sandbox("a", on: "quiet")
        let (_, b) = try lab.sandbox("b", on: "quiet")
        #expect(try !lab.ping(a.namespace, b.address.description))
        // The gateway (the host) is still reachable.
        #expect(try lab.ping(a.namespace, "172.18.0.1"))
    }

    @Test func twoNetworksAreIsolated() throws {
        let lab = try NetworkLab("iso")
        try lab.driver.createNetwork(BridgeNetworkOptions(name: "red", bridge: "spred"))
        let blue = try lab.driver.createNetwork(BridgeNetworkOptions(name: "blue", bridge: "spblue"))
        #expect(blue.subnet.description == "172.19.0.0/16")
        let (r, _) = try lab.sandbox("r", on: "red")
        let (_, b) = try lab.sandbox("b", on: "blue")
        #expect(try !lab.ping(r.namespace, b.address.description))
        #expect(try lab.ping(r.namespace, "10.99.0.2"))
    }

    @Test func masqueradeReachesTheOutsideWithTheHostAddress() throws {
        let lab = try NetworkLab("masq")
        try lab.driver.createNetwork(BridgeNetworkOptions(name: "out", bridge: "spout"))
        let (a, _) = try lab.sandbox("a", on: "out")
        let listener = try NamespaceSockets.listener(in: lab.outside, port: 7000)
        #expect(try NamespaceSockets.connects(from: a.namespace, to: "10.99.0.2", port: 7000))
        #expect(NamespaceSockets.peer(on: listener) == "10.99.0.1")
    }

    @Test func publishedPortsAreReachableFromOutsideLocalhostAndSiblings() throws {
        let lab = try NetworkLab("ports")
        try lab.driver.createNetwork(BridgeNetworkOptions(name: "web", bridge: "spweb"))
        let (server, endpoint) = try lab.sandbox("srv", on: "web", publish: ["8080:80", "5353:53/udp", "80"])
        let (sibling, _) = try lab.sandbox("sib", on: "web")
        let tcp = try NamespaceSockets.listener(in: server.namespace, port: 80)
        let udp = try NamespaceSockets.listener(in: server.namespace, port: 53, udp: true)
        let dynamic = try #require(endpoint.ports.first { $0.containerPort == 80 && $0.hostPort != 8080 })
        #expect((49153...65535).contains(dynamic.hostPort))

        #expect(try NamespaceSockets.connects(from: lab.outside, to: "10.99.0.1", port: 8080))
        #expect(NamespaceSockets.peer(on: tcp) != nil)
        #expect(try NamespaceSockets.connects(from: lab.host, to: "127.0.0.1", port: 8080))
        #expect(NamespaceSockets.peer(on: tcp) != nil)
        #expect(try NamespaceSockets.connects(from: sibling.namespace, to: "10.99.0.1", port: 8080))
        #expect(NamespaceSockets.peer(on: tcp) != nil)
        #expect(try NamespaceSockets.connects(from: lab.outside, to: "10.99.0.1", port: dynamic.hostPort))
        #expect(NamespaceSockets.peer(on: tcp) != nil)

        try NamespaceSockets.sendDatagram(from: lab.outside, to: "10.99.0.1", port: 5353, "ping")
        #expect(NamespaceSockets.peer(on: udp, udp: true) == "10.99.0.2")
        try NamespaceSockets.sendDatagram(from: lab.host, to: "127.0.0.1", port: 5353, "ping")
        #expect(NamespaceSockets.peer(on: udp, udp: true) != nil)
    }

    @Test func disconnectRemovesEverythingOfTheEndpoint() throws {
        let lab = try NetworkLab("disc")
        try lab.driver.createNetwork(BridgeNetworkOptions(name: "d", bridge: "spd0"))
        let before = try lab.snapshot()
        let (a, endpoint) = try lab.sandbox("a", on: "d", publish: ["8081:80"])
        try lab.driver.disconnect(a, from: "d")
        #expect(try lab.snapshot() == before)
        #expect(try lab.driver.ipam.pool(named: "d")?.owner(of: endpoint.address) == nil)
        #expect(try !ipJSON(in: a.namespace, ["link", "show"]).contains { $0["ifname"] as? String == "eth0" })
    }

    @Test func failuresLeaveNothingBehind() throws {
        let lab = try NetworkLab("fail")
        try lab.driver.createNetwork(BridgeNetworkOptions(name: "f", bridge: "spf0", subnet: IPNetwork("10.50.0.0/24")))
        _ = try lab.sandbox("a", on: "f", address: IPv4Address("10.50.0.10"), publish: ["9000:80"])
        let before = try lab.snapshot()
        let b = try lab.sandboxes.create(id: "\(lab.tag)-b", mode: .bridge(network: "f"))
        // The address is taken.
        #expect(throws: NetworkError.self) { try lab.driver.connect(b, to: "f", address: IPv4Address("10.50.0.10")) }
        // The host port is taken.
        #expect(throws: NetworkError.self) { try lab.driver.connect(b, to: "f", publish: [PortSpecParser.parse("9000:80")]) }
        // The subnet overlaps an existing network.
        #expect(throws: NetworkError.self) {
            try lab.driver.createNetwork(BridgeNetworkOptions(name: "g", bridge: "spg0", subnet: IPNetwork("10.50.0.0/16")))
        }
        // No such network.
        #expect(throws: NetworkError.self) { try lab.driver.connect(b, to: "nosuch") }
        #expect(try lab.snapshot() == before)
        #expect(try ipJSON(in: b.namespace, ["link", "show"]).count == 1)
    }

    @Test func deletingANetworkWithEndpointsFailsAndTheLastOneTakesTheTable() throws {
        let lab = try NetworkLab("del")
        try lab.driver.createNetwork(BridgeNetworkOptions(name: "one", bridge: "spone"))
        let (a, _) = try lab.sandbox("a", on: "one")
        let error = #expect(throws: NetworkError.self) { try lab.driver.deleteNetwork(named: "one") }
        #expect(error?.code == .conflict)
        #expect(!(try lab.spliceTables().isEmpty))
        try lab.driver.disconnect(a, from: "one")
        try lab.driver.deleteNetwork(named: "one")
        #expect(try lab.spliceTables().isEmpty)
        #expect(try !ipJSON(in: lab.host, ["link", "show"]).contains { $0["ifname"] as? String == "spone" })
    }

    @Test func removeEverythingLeavesTheHostAsItWas() throws {
        let lab = try NetworkLab("recover")
        let before = try lab.snapshot()
        try lab.driver.createNetwork(BridgeNetworkOptions(name: "x", bridge: "spx0"))
        try lab.driver.createNetwork(BridgeNetworkOptions(name: "y", bridge: "spy0", interContainer: false))
        _ = try lab.sandbox("a", on: "x", publish: ["8000-8002:8000-8002"])
        _ = try lab.sandbox("b", on: "y")
        try lab.driver.removeEverything(sandboxes: lab.sandboxes)
        #expect(try lab.snapshot() == before)
        #expect(lab.sandboxes.pinnedIDs().isEmpty)
    }

    @Test func hostNoneAndContainerModes() throws {
        let lab = try NetworkLab("modes")
        let host = try lab.sandboxes.create(id: "\(lab.tag)-host", mode: .host)
        #expect(try host.namespace.identity() == lab.host.identity())
        let none = try lab.sandboxes.create(id: "\(lab.tag)-none", mode: .none)
        let links = try ipJSON(in: none.namespace, ["link", "show"])
        #expect(links.map { $0["ifname"] as? String } == ["lo"])
        #expect((links.first?["flags"] as? [String])?.contains("UP") == true)
        let shared = try lab.sandboxes.create(id: "\(lab.tag)-shared", mode: .container("\(lab.tag)-none"))
        #expect(try shared.namespace.identity() == none.namespace.identity())
        #expect(throws: NetworkError.self) {
            try lab.sandboxes.create(id: "\(lab.tag)-x", mode: .container("\(lab.tag)-gone"))
        }
        #expect(throws: NetworkError.self) {
            try lab.sandboxes.create(id: "\(lab.tag)-y", mode: .container("\(lab.tag)-host"),
                                     hostSandboxes: ["\(lab.tag)-host"])
        }
        #expect(throws: NetworkError.self) {
            try lab.driver.connect(host, to: "anything")
        }
    }

    @Test func anotherToolsDropPolicyIsReported() throws {
        let lab = try NetworkLab("drop")
        try lab.driver.createNetwork(BridgeNetworkOptions(name: "w", bridge: "spw1"))
        #expect(try lab.driver.forwardingWarnings().isEmpty)
        try run("ip", ["netns", "exec", lab.hostName, "nft",
                       "add table ip filter; add chain ip filter FORWARD { type filter hook forward priority 0; policy drop; }"])
        let warnings = try lab.driver.forwardingWarnings()
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("ip filter FORWARD drops forwarded traffic") == true)
    }
}
