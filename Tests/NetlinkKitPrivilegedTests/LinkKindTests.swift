import CLinuxShims
import NetlinkKit
import SystemKit
import TestSupport
import Testing

/// Every link kind NetlinkKit creates, each in its own scratch namespace, read back with `ip -j -d link`.
@Suite(needsNamespaces) struct LinkKindTests {
    @Test func bridgeWithCommonOptions() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let address = try mac("02:00:00:00:00:01")
            try socket.addLink(LinkSpec(name: "br0", kind: .bridge, mtu: 1400, address: address, up: true))
            let link = try #require(try ipLink(in: namespace, "br0"))
            #expect(linkInfo(link).kind == "bridge")
            #expect(link["mtu"] as? Int == 1400)
            #expect(link["address"] as? String == "02:00:00:00:00:01")
            #expect(flags(link).contains("UP"))

            let decoded = try #require(try socket.link(named: "br0"))
            #expect(decoded.kind == "bridge" && decoded.mtu == 1400 && decoded.address == address && decoded.isUp)
            #expect(try socket.links().map(\.name).sorted() == ["br0", "lo"])
        }
    }

    @Test func vethPairWithPeerOptions() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let peer = VethPeer(name: "veth1", mtu: 1400, address: try mac("02:00:00:00:00:03"))
            try socket.addLink(LinkSpec(name: "veth0", kind: .veth(peer: peer), mtu: 1400,
                                        address: try mac("02:00:00:00:00:02"), up: true))
            let near = try #require(try ipLink(in: namespace, "veth0"))
            let far = try #require(try ipLink(in: namespace, "veth1"))
            #expect(linkInfo(near).kind == "veth" && linkInfo(far).kind == "veth")
            #expect(near["link"] as? String == "veth1" && far["link"] as? String == "veth0")
            #expect(near["address"] as? String == "02:00:00:00:00:02")
            #expect(far["address"] as? String == "02:00:00:00:00:03")
            #expect(near["mtu"] as? Int == 1400 && far["mtu"] as? Int == 1400)
            #expect(flags(near).contains("UP"))
            #expect(!flags(far).contains("UP"), "the peer is created down")

            let veth0 = try #require(try socket.link(named: "veth0"))
            let veth1 = try #require(try socket.link(named: "veth1"))
            #expect(veth0.parent == veth1.index && veth1.parent == veth0.index)
        }
    }

    @Test func vethPeerCreatedInAnotherNamespace() throws {
        try withScratchNetworkNamespace { host, socket in
            let guest = try NetworkNamespace.anonymous(label: "guest")
            let peer = VethPeer(name: "eth1", namespace: guest, address: try mac("02:00:00:00:00:03"))
            try socket.addLink(LinkSpec(name: "vsp1", kind: .veth(peer: peer), up: true))
            #expect(try ipLink(in: host, "eth1") == nil, "the peer is not in the host namespace")
            let inGuest = try #require(try ipLink(in: guest, "eth1"))
            #expect(linkInfo(inGuest).kind == "veth")
            #expect(inGuest["address"] as? String == "02:00:00:00:00:03")
            let near = try #require(try ipLink(in: host, "vsp1"))
            #expect(near["link_netnsid"] != nil, "the near end points into another namespace")
            #expect(try socket.link(named: "vsp1")?.linkNetnsID != nil)

            // The peer is usable from a socket in its own namespace.
            let guestSocket = try NetlinkSocket.open(in: guest)
            let eth1 = try #require(try guestSocket.link(named: "eth1"))
            try guestSocket.setLink(eth1.index, LinkChange(up: true))
            #expect(flags(try ipLink(in: guest, "eth1")).contains("UP"))
        }
    }

    @Test func bridgeCreatedDirectlyInAnotherNamespace() throws {
        try withScratchNetworkNamespace { host, socket in
            let guest = try NetworkNamespace.anonymous(label: "guest")
            try socket.addLink(LinkSpec(name: "br7", kind: .bridge, namespace: guest, alias: "ignored here"))
            #expect(try ipLink(in: host, "br7") == nil)
            #expect(linkInfo(try ipLink(in: guest, "br7")).kind == "bridge")
        }
    }

    @Test("macvlan in each mode", arguments: MacvlanMode.allCases)
    func macvlan(mode: MacvlanMode) throws {
        try withScratchNetworkNamespace { namespace, socket in
            let (parent, _) = try socket.makeVethPair()
            try socket.addLink(LinkSpec(name: "mv0", kind: .macvlan(mode: mode), address: try mac("02:00:00:00:00:05"),
                                        parent: parent, up: true))
            let link = try #require(try ipLink(in: namespace, "mv0"))
            let info = linkInfo(link)
            #expect(info.kind == "macvlan")
            #expect(info.data["mode"] as? String == "\(mode)")
            #expect(link["link"] as? String == "veth0")
            let decoded = try #require(try socket.link(named: "mv0"))
            #expect(decoded.parent == parent)
            var mode = mode.rawValue
            let modeBytes = withUnsafeBytes(of: &mode) { Array($0) }
            #expect(decoded.kindData[UInt16(IFLA_MACVLAN_MODE)] == modeBytes)
        }
    }

    @Test func vxlanWithEveryOption() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            let options = VXLANOptions(id: 42, local: try address("10.0.0.1"), remote: try address("10.0.0.2"),
                                       port: 4789, learning: false, ttl: 64)
            try socket.addLink(LinkSpec(name: "vx0", kind: .vxlan(options), parent: bridge, up: true))
            let info = linkInfo(try ipLink(in: namespace, "vx0"))
            #expect(info.kind == "vxlan")
            #expect(info.data["id"] as? Int == 42)
            #expect(info.data["local"] as? String == "10.0.0.1")
            #expect(info.data["remote"] as? String == "10.0.0.2")
            #expect(info.data["link"] as? String == "br0")
            #expect(info.data["port"] as? Int == 4789)
            #expect(info.data["ttl"] as? Int == 64)
            #expect(info.data["learning"] as? Bool == false)
        }
    }

    @Test func vxlanWithMulticastGroupAndLearning() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            let options = VXLANOptions(id: 7, group: try address("239.1.1.1"), port: 8472)
            try socket.addLink(LinkSpec(name: "vx1", kind: .vxlan(options), parent: bridge))
            let info = linkInfo(try ipLink(in: namespace, "vx1"))
            #expect(info.data["id"] as? Int == 7)
            #expect(info.data["group"] as? String == "239.1.1.1")
            #expect(info.data["port"] as? Int == 8472)
            #expect(info.data["learning"] as? Bool == true)
        }
    }

    @Test func vxlanOverIPv6() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let options = VXLANOptions(id: 100, local: try address("2001:db8::1"), remote: try address("2001:db8::2"))
            try socket.addLink(LinkSpec(name: "vx6", kind: .vxlan(options)))
            let info = linkInfo(try ipLink(in: namespace, "vx6"))
            #expect(info.data["id"] as? Int == 100)
            #expect(info.data["local6"] as? String == "2001:db8::1")
            #expect(info.data["remote6"] as? String == "2001:db8::2")
            #expect(info.data["port"] as? Int == 4789)
        }
    }

    @Test(.enabled(if: KernelProbe.hasVLAN, KernelProbe.vlanSkipReason))
    func vlan() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let (parent, _) = try socket.makeVethPair()
            try socket.addLink(LinkSpec(name: "veth0.10", kind: .vlan(id: 10), parent: parent))
            let link = try #require(try ipLink(in: namespace, "veth0.10"))
            #expect(linkInfo(link).kind == "vlan")
            #expect(linkInfo(link).data["id"] as? Int == 10)
            #expect(link["link"] as? String == "veth0")
        }
    }

    /// Runs where the kernel lacks 802.1Q (the development machines): the error must say so plainly.
    @Test(.enabled(if: Privileges.canCreateNamespaces && !KernelProbe.hasVLAN, "this kernel has 802.1Q support"))
    func vlanOnAKernelWithout8021QIsExplained() throws {
        try withScratchNetworkNamespace { _, socket in
            let (parent, _) = try socket.makeVethPair()
            let error = #expect(throws: NetlinkError.self) {
                try socket.addLink(LinkSpec(name: "veth0.10", kind: .vlan(id: 10), parent: parent))
            }
            #expect(error?.errno == .notSupported)
            #expect(error?.description
                    == "cannot create vlan \"veth0.10\": this kernel has no 802.1Q support (CONFIG_VLAN_8021Q)"
                    + " (EOPNOTSUPP)")
            #expect(try socket.link(named: "veth0.10") == nil)
        }
    }
}
