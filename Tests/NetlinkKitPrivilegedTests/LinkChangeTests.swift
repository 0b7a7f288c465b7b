import Foundation
import NetlinkKit
import SystemKit
import TestSupport
import Testing

/// `ip link set` equivalents and deletion, each in its own scratch namespace, read back with `ip -j -d link`.
@Suite(needsNamespaces) struct LinkChangeTests {
    @Test func upAndDown() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge(up: false)
            #expect(!flags(try ipLink(in: namespace, "br0")).contains("UP"))
            try socket.setLink(bridge, LinkChange(up: true))
            #expect(flags(try ipLink(in: namespace, "br0")).contains("UP"))
            #expect(try socket.link(bridge)?.isUp == true)
            try socket.setLink(bridge, LinkChange(up: false))
            #expect(!flags(try ipLink(in: namespace, "br0")).contains("UP"))
            #expect(try socket.link(bridge)?.isUp == false)
        }
    }

    @Test func rename() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge(up: false)
            try socket.setLink(bridge, LinkChange(name: "br9"))
            #expect(try ipLink(in: namespace, "br0") == nil)
            #expect(try ipLink(in: namespace, "br9")?["ifindex"] as? Int == Int(bridge.rawValue))
            #expect(try socket.link(named: "br9")?.index == bridge)
            #expect(try socket.link(named: "br0") == nil)
        }
    }

    @Test func hardwareAddressAndMTU() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let (veth0, _) = try socket.makeVethPair()
            try socket.setLink(veth0, LinkChange(mtu: 1280, address: try mac("02:00:00:00:00:09")))
            let link = try #require(try ipLink(in: namespace, "veth0"))
            #expect(link["address"] as? String == "02:00:00:00:00:09")
            #expect(link["mtu"] as? Int == 1280)
            try socket.setLink(veth0, LinkChange(mtu: 9000))
            #expect(try ipLink(in: namespace, "veth0")?["mtu"] as? Int == 9000)
        }
    }

    @Test func masterAndNomaster() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            let (veth0, _) = try socket.makeVethPair()
            try socket.setLink(veth0, LinkChange(master: .some(bridge)))
            #expect(try ipLink(in: namespace, "veth0")?["master"] as? String == "br0")
            #expect(try socket.link(veth0)?.master == bridge)
            try socket.setLink(veth0, LinkChange(master: .some(nil)))
            #expect(try ipLink(in: namespace, "veth0")?["master"] == nil)
            #expect(try socket.link(veth0)?.master == nil)
        }
    }

    @Test func moveToAnotherNamespace() throws {
        try withScratchNetworkNamespace { host, socket in
            let guest = try NetworkNamespace.anonymous(label: "guest")
            let (_, veth1) = try socket.makeVethPair()
            try socket.moveLink(veth1, to: guest, name: "veth1")
            #expect(try ipLink(in: host, "veth1") == nil)
            #expect(linkInfo(try ipLink(in: guest, "veth1")).kind == "veth")
            #expect(try socket.link(named: "veth1") == nil)
            #expect(try NetlinkSocket.open(in: guest).link(named: "veth1") != nil)
        }
    }

    @Test func moveToANamedNamespaceMadeForThisTest() throws {
        try withScratchNetworkNamespace { _, socket in
            let named = try ScratchNamedNamespace(tag: "mv")
            defer { named.remove() }
            let (_, veth1) = try socket.makeVethPair()
            try socket.moveLink(veth1, to: named.namespace)
            let listed = try run("ip", ["-n", named.name, "-j", "link", "show", "dev", "veth1"])
            #expect(listed.contains("\"ifname\":\"veth1\""))
        }
    }

    @Test func alias() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge(up: false)
            try socket.setLink(bridge, LinkChange(alias: "splice:net-1"))
            #expect(try ipLink(in: namespace, "br0")?["ifalias"] as? String == "splice:net-1")
            #expect(try socket.link(bridge)?.alias == "splice:net-1")
            try socket.addLink(LinkSpec(name: "br1", kind: .bridge, alias: "splice:net-2"))
            #expect(try ipLink(in: namespace, "br1")?["ifalias"] as? String == "splice:net-2")
        }
    }

    @Test func severalChangesInOneRequest() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            let (veth0, _) = try socket.makeVethPair()
            try socket.setLink(veth0, LinkChange(up: false, name: "vsp1", mtu: 1400,
                                                 address: try mac("02:00:00:00:00:03"), master: .some(bridge),
                                                 alias: "splice:x"))
            let link = try #require(try ipLink(in: namespace, "vsp1"))
            #expect(!flags(link).contains("UP"))
            #expect(link["mtu"] as? Int == 1400)
            #expect(link["address"] as? String == "02:00:00:00:00:03")
            #expect(link["master"] as? String == "br0")
            #expect(link["ifalias"] as? String == "splice:x")
        }
    }

    @Test func deleteRemovesTheLinkAndAVethsPeer() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            let (veth0, _) = try socket.makeVethPair()
            try socket.deleteLink(bridge, name: "br0")
            try socket.deleteLink(veth0, name: "veth0")
            #expect(try ipLink(in: namespace, "br0") == nil)
            #expect(try ipLink(in: namespace, "veth1") == nil, "deleting one end deletes the pair")
            #expect(try socket.links().map(\.name) == ["lo"])
        }
    }

    @Test func changeAndDeleteByName() throws {
        try withScratchNetworkNamespace { namespace, socket in
            try socket.makeBridge(up: false)
            try socket.setLink(named: "br0", LinkChange(up: true, mtu: 1400, alias: "splice:by-name"))
            let link = try #require(try ipLink(in: namespace, "br0"))
            #expect(flags(link).contains("UP"))
            #expect(link["mtu"] as? Int == 1400)
            #expect(link["ifalias"] as? String == "splice:by-name")

            let missing = #expect(throws: NetlinkError.self) {
                try socket.setLink(named: "nope0", LinkChange(up: true))
            }
            #expect(missing?.errno == .noSuchDevice)

            try socket.deleteLink(named: "br0")
            #expect(try ipLink(in: namespace, "br0") == nil)
            let gone = #expect(throws: NetlinkError.self) { try socket.deleteLink(named: "br0") }
            #expect(gone?.errno?.meansAlreadyGone == true)
        }
    }

    @Test func ipv4DeviceSettings() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            func sysctl(_ key: String) throws -> String {
                try runIn(namespace, ["sysctl", "-n", "net.ipv4.conf.br0.\(key)"]).stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            try socket.setLink(bridge, LinkChange(ipv4: [.forwarding: 1, .arpNotify: 1, .proxyARP: 1, .rpFilter: 2,
                                                         .routeLocalnet: 1]))
            #expect(try sysctl("forwarding") == "1")
            #expect(try sysctl("arp_notify") == "1")
            #expect(try sysctl("proxy_arp") == "1")
            #expect(try sysctl("rp_filter") == "2")
            #expect(try sysctl("route_localnet") == "1")
            try socket.setLink(named: "br0", LinkChange(ipv4: [.arpNotify: 0]))
            #expect(try sysctl("arp_notify") == "0")
            #expect(try sysctl("forwarding") == "1", "settings not named stay")
        }
    }
}
