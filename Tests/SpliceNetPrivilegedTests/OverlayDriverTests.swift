import Foundation
import Glibc
import NetlinkKit
import SpliceNet
import SystemKit
import Testing
import TestSupport

/// Two namespaces as hosts on a veth underlay (10.99.1.1 and 10.99.1.2, MTU 1500), each with a bridge for the
/// overlay network and a "container" namespace on it; the overlay driver adds the VXLAN devices and entries.
@Suite("Overlay driver (VXLAN, FDB, neighbours)", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"))
struct OverlayDriverTests {
    final class TwoHosts {
        let prefix = "spo\(getpid())"
        var names: [String] { ["h1", "h2", "c1", "c2"].map { prefix + $0 } }
        let networkID = "0123456789ab" + String(repeating: "f", count: 52)
        let h1: NetworkNamespace
        let h2: NetworkNamespace
        let c1: NetworkNamespace
        let c2: NetworkNamespace

        init() throws {
            let prefix = "spo\(getpid())"
            let namespaces = try ["h1", "h2", "c1", "c2"].map { try NetworkNamespace.create(named: prefix + $0) }
            (h1, h2, c1, c2) = (namespaces[0], namespaces[1], namespaces[2], namespaces[3])
            for name in names { try run("ip", ["-n", name, "link", "set", "lo", "up"]) }
            try run("ip", ["-n", prefix + "h1", "link", "add", "u1", "type", "veth", "peer", "name", "u2",
                           "netns", prefix + "h2"])
            for (host, link, address, container, mac, inner) in [
                ("h1", "u1", "10.99.1.1/24", "c1", "02:42:0a:d2:00:02", "10.210.0.2/24"),
                ("h2", "u2", "10.99.1.2/24", "c2", "02:42:0a:d2:00:03", "10.210.0.3/24"),
            ] {
                let h = prefix + host
                try run("ip", ["-n", h, "addr", "add", address, "dev", link])
                try run("ip", ["-n", h, "link", "set", link, "up"])
                try run("ip", ["-n", h, "link", "add", OverlayTunnel.bridgeName(networkID: networkID), "mtu", "1450",
                               "type", "bridge"])
                try run("ip", ["-n", h, "link", "set", OverlayTunnel.bridgeName(networkID: networkID), "up"])
                try run("ip", ["-n", h, "link", "add", "p" + container, "mtu", "1450", "type", "veth", "peer",
                               "name", "eth0", "netns", prefix + container])
                try run("ip", ["-n", h, "link", "set", "p" + container, "master",
                               OverlayTunnel.bridgeName(networkID: networkID), "up"])
                let c = prefix + container
                try run("ip", ["-n", c, "link", "set", "eth0", "address", mac, "mtu", "1450", "up"])
                try run("ip", ["-n", c, "addr", "add", inner, "dev", "eth0"])
            }
        }

        func tunnel(local: IPv4Address, in host: NetworkNamespace, underlay: String) throws -> OverlayTunnel {
            let socket = try NetlinkSocket.open(in: host)
            let index = try #require(try socket.link(named: underlay)).index
            return OverlayTunnel(networkID: networkID, bridge: OverlayTunnel.bridgeName(networkID: networkID),
                                 vni: 4097, local: local, underlay: index, underlayMTU: 1500)
        }

        func fdb(_ host: NetworkNamespace, _ device: String) throws -> [(mac: String, dst: String)] {
            let out = try runIn(host, ["bridge", "-j", "fdb", "show", "dev", device]).stdout
            let entries = (try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]]) ?? []
            return entries.compactMap { entry in
                guard let dst = entry["dst"] as? String, let mac = entry["mac"] as? String else { return nil }
                return (mac, dst)
            }
        }

        deinit { for name in names { try? NetworkNamespace.delete(named: name) } }
    }

    static let mac2 = MACAddress("02:42:0a:d2:00:02") ?? .broadcast
    static let mac3 = MACAddress("02:42:0a:d2:00:03") ?? .broadcast

    @Test func containersOnTwoHostsReachEachOtherAndEntriesFollowTheStore() throws {
        let lab = try TwoHosts()
        let a = IPv4Address(10, 99, 1, 1)
        let b = IPv4Address(10, 99, 1, 2)
        let t1 = try lab.tunnel(local: a, in: lab.h1, underlay: "u1")
        let t2 = try lab.tunnel(local: b, in: lab.h2, underlay: "u2")
        let d1 = OverlayDriver(host: try NetlinkSocket.open(in: lab.h1))
        let d2 = OverlayDriver(host: try NetlinkSocket.open(in: lab.h2))
        try d1.ensureTunnel(t1)
        try d2.ensureTunnel(t2)
        try d1.ensureTunnel(t1)  // a second call keeps the device
        let device = try #require(try ipJSON(in: lab.h1, ["link", "show", t1.device]).first)
        let info = try #require((device["linkinfo"] as? [String: Any])?["info_data"] as? [String: Any])
        #expect(info["id"] as? Int == 4097)
        #expect(info["local"] as? String == "10.99.1.1")
        #expect(info["port"] as? Int == 4789)
        #expect(info["learning"] as? Bool == false)
        #expect(info["proxy"] as? Bool == true)
        #expect(device["mtu"] as? Int == 1450)
        #expect(device["master"] as? String == t1.bridge)

        let r2 = OverlayForwarding.RemoteEndpoint(address: IPv4Address(10, 210, 0, 2), mac: Self.mac2, host: a)
        let r3 = OverlayForwarding.RemoteEndpoint(address: IPv4Address(10, 210, 0, 3), mac: Self.mac3, host: b)
        #expect(try d1.reconcile(t1, to: OverlayForwarding(peers: [b], remotes: [r3])) == 3)
        #expect(try d2.reconcile(t2, to: OverlayForwarding(peers: [a], remotes: [r2])) == 3)
        #expect(try d1.reconcile(t1, to: OverlayForwarding(peers: [b], remotes: [r3])) == 0, "nothing to change")
        let entries = try lab.fdb(lab.h1, t1.device)
        #expect(entries.contains { $0.mac == "00:00:00:00:00:00" && $0.dst == "10.99.1.2" })
        #expect(entries.contains { $0.mac == "02:42:0a:d2:00:03" && $0.dst == "10.99.1.2" })
        let neighbours = try ipJSON(in: lab.h1, ["neigh", "show", "dev", t1.device])
        #expect(neighbours.contains { $0["dst"] as? String == "10.210.0.3"
            && $0["lladdr"] as? String == "02:42:0a:d2:00:03" })

        #expect(try runIn(lab.c1, ["ping", "-c", "1", "-W", "2", "10.210.0.3"]).status == 0)
        // A full-size packet with DF set crosses (1450 - 28 bytes of ICMP and IP headers).
        #expect(try runIn(lab.c1, ["ping", "-c", "1", "-W", "2", "-M", "do", "-s", "1422", "10.210.0.3"]).status == 0)

        // The endpoint moved to another host: its entry is replaced, never appended.
        let moved = OverlayForwarding.RemoteEndpoint(address: r3.address, mac: Self.mac3, host: IPv4Address(10, 99, 1, 9))
        try d1.reconcile(t1, to: OverlayForwarding(peers: [b, moved.host], remotes: [moved]))
        let after = try lab.fdb(lab.h1, t1.device).filter { $0.mac == "02:42:0a:d2:00:03" }
        #expect(after.map(\.dst) == ["10.99.1.9"])

        // The peer left: its flood entry, its endpoints' entries and neighbours go.
        try d1.reconcile(t1, to: OverlayForwarding())
        #expect(try lab.fdb(lab.h1, t1.device).isEmpty)
        #expect(try ipJSON(in: lab.h1, ["neigh", "show", "dev", t1.device]).isEmpty)
        #expect(try runIn(lab.c1, ["ping", "-c", "1", "-W", "1", "10.210.0.3"]).status != 0)

        #expect(try d1.tunnelDevices() == [t1.device])
        try d1.removeTunnel(device: t1.device)
        try d1.removeTunnel(device: t1.device)  // already gone: success
        #expect(try d1.tunnelDevices().isEmpty)
    }

    @Test func twoOverlayNetworksWithTheSameSubnetStayApart() throws {
        // Network A (VNI 4097) joins c1 and c2; c2 is then moved to network B (VNI 4098) on h2: c1 cannot reach it
        // even though both use 10.210.0.0/24.
        let lab = try TwoHosts()
        let a = IPv4Address(10, 99, 1, 1)
        let b = IPv4Address(10, 99, 1, 2)
        let t1 = try lab.tunnel(local: a, in: lab.h1, underlay: "u1")
        var t2 = try lab.tunnel(local: b, in: lab.h2, underlay: "u2")
        t2.vni = 4098
        try OverlayDriver(host: try NetlinkSocket.open(in: lab.h1)).ensureTunnel(t1)
        try OverlayDriver(host: try NetlinkSocket.open(in: lab.h2)).ensureTunnel(t2)
        let r2 = OverlayForwarding.RemoteEndpoint(address: IPv4Address(10, 210, 0, 2), mac: Self.mac2, host: a)
        let r3 = OverlayForwarding.RemoteEndpoint(address: IPv4Address(10, 210, 0, 3), mac: Self.mac3, host: b)
        try OverlayDriver(host: try NetlinkSocket.open(in: lab.h1)).reconcile(t1, to: .init(peers: [b], remotes: [r3]))
        try OverlayDriver(host: try NetlinkSocket.open(in: lab.h2)).reconcile(t2, to: .init(peers: [a], remotes: [r2]))
        #expect(try runIn(lab.c1, ["ping", "-c", "1", "-W", "1", "10.210.0.3"]).status != 0)
    }
}
