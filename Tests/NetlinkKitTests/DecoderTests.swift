import CLinuxShims
import Testing

@testable import NetlinkKit

/// Decoders fed real kernel dumps, captured from `ip -d link show`, `ip addr show`, `ip route show table all`,
/// `ip neigh show` and `bridge fdb show` in a scratch namespace (Fixtures/replies, see Fixtures/README.md).
@Suite struct DecoderTests {
    /// The payloads of every message of `type` in a reply fixture.
    static func payloads(_ fixture: String, type: UInt16) throws -> [[UInt8]] {
        try Fixture("replies/\(fixture)").messages().filter { $0.type == type }.map(\.payload)
    }

    static func links(_ fixture: String) throws -> [String: Link] {
        let decoded = try payloads(fixture, type: MessageType.newLink).map { payload throws(NetlinkError) in
            try Link(decoding: payload)
        }
        return Dictionary(decoded.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    @Test func linksOfEveryKind() throws {
        let links = try Self.links("link-dump")
        #expect(links.keys.sorted() == ["br0", "lo", "mv0", "veth0", "veth1", "vx0"])

        let lo = try #require(links["lo"])
        #expect(lo.index == InterfaceIndex(1))
        #expect(lo.kind == nil)
        #expect(lo.flags & UInt32(CLS_IFF_LOOPBACK) != 0)

        let bridge = try #require(links["br0"])
        #expect(bridge.index == InterfaceIndex(2))
        #expect(bridge.kind == "bridge")
        #expect(bridge.address == MACAddress("02:00:00:00:00:01"))
        #expect(bridge.isUp && bridge.hasCarrier)
        #expect(bridge.master == nil && bridge.parent == nil)

        let veth0 = try #require(links["veth0"])
        let veth1 = try #require(links["veth1"])
        #expect(veth0.kind == "veth" && veth1.kind == "veth")
        #expect(veth0.index == InterfaceIndex(4) && veth1.index == InterfaceIndex(3), "the peer registers first")
        #expect(veth0.parent == veth1.index && veth1.parent == veth0.index, "IFLA_LINK names the peer")
        #expect(veth0.linkNetnsID == nil, "the peer is in the same namespace")
        #expect(veth0.mtu == 1400)
        #expect(veth0.address == MACAddress("02:00:00:00:00:02"))
        #expect(veth0.master == bridge.index)
        #expect(veth0.alias == "splice:test")
        #expect(veth0.isUp)
        #expect(veth0.operationalState == UInt8(IF_OPER_UP))

        let macvlan = try #require(links["mv0"])
        #expect(macvlan.kind == "macvlan")
        #expect(macvlan.parent == veth1.index)
        #expect(macvlan.address == MACAddress("02:00:00:00:00:05"))
        #expect(macvlan.kindData[nl(IFLA_MACVLAN_MODE)] == [0x01, 0x00, 0x00, 0x00], "mode private")
        #expect(!macvlan.isUp)
        #expect(macvlan.alias == nil)

        let vxlan = try #require(links["vx0"])
        #expect(vxlan.kind == "vxlan")
        let data = vxlan.kindData
        #expect(data[nl(IFLA_VXLAN_ID)] == [42, 0, 0, 0])
        #expect(data[nl(IFLA_VXLAN_GROUP)] == [10, 0, 0, 2], "the unicast remote travels as GROUP")
        #expect(data[nl(IFLA_VXLAN_LOCAL)] == [10, 0, 0, 1])
        #expect(data[nl(IFLA_VXLAN_LINK)] == [2, 0, 0, 0])
        #expect(data[nl(IFLA_VXLAN_TTL)] == [64])
        #expect(data[nl(IFLA_VXLAN_LEARNING)] == [0])
        #expect(data[nl(IFLA_VXLAN_PORT)] == [0x12, 0xb5], "4789 in network order")
    }

    @Test func vethPeerInAnotherNamespaceCarriesItsNamespaceID() throws {
        let veth = try #require(try Self.links("link-peer-netns")["veth0"])
        #expect(veth.kind == "veth")
        #expect(veth.linkNetnsID == 0)
        #expect(veth.parent == InterfaceIndex(2), "the peer's index inside its own namespace")
        #expect(veth.address == MACAddress("02:00:00:00:00:02"))
    }

    @Test func addresses() throws {
        let addresses = try Self.payloads("addr-dump", type: MessageType.newAddress)
            .map { payload throws(NetlinkError) in try Address(decoding: payload) }
        #expect(addresses.count == 6)

        let v4 = try #require(addresses.first { $0.network == IPNetwork("192.168.1.5/24") })
        #expect(v4.interface == InterfaceIndex(2))
        #expect(v4.broadcast == IPv4Address("192.168.1.255"))
        #expect(v4.label == "br0")
        #expect(v4.scope == 0)
        #expect(v4.flags & UInt32(IFA_F_PERMANENT) != 0)

        let labelled = try #require(addresses.first { $0.network == IPNetwork("10.0.0.1/8") })
        #expect(labelled.interface == InterfaceIndex(4))
        #expect(labelled.label == "veth0:x")
        #expect(labelled.broadcast == nil, "added without `broadcast +`")

        let v6 = try #require(addresses.first { $0.network == IPNetwork("2001:db8::5/64") })
        #expect(v6.interface == InterfaceIndex(2))
        #expect(v6.broadcast == nil && v6.label == nil)
        #expect(v6.flags & UInt32(IFA_F_NODAD) != 0, "IFA_FLAGS widens ifa_flags")

        let linkLocal = addresses.filter { if case .v6(let a) = $0.network.address { a.isLinkLocal } else { false } }
        #expect(linkLocal.count == 3)
        #expect(linkLocal.allSatisfy { $0.scope == RouteScope.link.rawValue && $0.network.prefixLength == 64 })
        let bridgeLinkLocal = try network("fe80::ff:fe00:1/64")
        #expect(linkLocal.contains { $0.network == bridgeLinkLocal && $0.interface == InterfaceIndex(2) })
    }

    @Test func routesOfBothFamiliesAndAllTables() throws {
        let routes = try Self.payloads("route-dump", type: MessageType.newRoute).map { payload throws(NetlinkError) in
            try Route(decoding: payload)
        }
        let v4 = routes.filter { $0.family == .inet }
        #expect(v4.count == 6)
        #expect(routes.count - v4.count == 6, "table all with AF_UNSPEC also lists IPv6")

        let defaultRoute = try #require(v4.first { $0.isDefault })
        #expect(defaultRoute.gateway == IPAddress("192.168.1.1"))
        #expect(defaultRoute.metric == 10)
        #expect(defaultRoute.table == u32(RT_TABLE_MAIN))
        #expect(defaultRoute.device == InterfaceIndex(2))
        #expect(defaultRoute.protocolID == UInt8(RTPROT_BOOT))

        let bigTable = try #require(v4.first { $0.destination == IPNetwork("10.2.0.0/16") })
        #expect(bigTable.table == 1000, "RTA_TABLE wins over rtm_table (252, RT_TABLE_COMPAT)")
        #expect(bigTable.gateway == IPAddress("192.168.1.1"))

        let scoped = try #require(v4.first { $0.destination == IPNetwork("10.4.0.0/16") })
        #expect(scoped.table == 100)
        #expect(scoped.scope == RouteScope.link.rawValue)
        #expect(scoped.gateway == nil)

        let connected = try #require(v4.first { $0.destination == IPNetwork("192.168.1.0/24") })
        #expect(connected.preferredSource == IPAddress("192.168.1.5"))
        #expect(connected.protocolID == UInt8(RTPROT_KERNEL))

        let local = try #require(v4.first { $0.type == UInt8(RTN_LOCAL) })
        #expect(local.destination == IPNetwork("192.168.1.5/32"))
        #expect(local.table == u32(RT_TABLE_LOCAL))
        #expect(local.scope == RouteScope.host.rawValue)
    }

    @Test func ipv6Routes() throws {
        let routes = try Self.payloads("route6-dump", type: MessageType.newRoute).map { payload throws(NetlinkError) in
            try Route(decoding: payload)
        }
        #expect(routes.allSatisfy { $0.family == .inet6 })
        let defaultRoute = try #require(routes.first { $0.isDefault })
        #expect(defaultRoute.gateway == IPAddress("2001:db8::1"))
        #expect(defaultRoute.metric == 10)
        #expect(defaultRoute.device == InterfaceIndex(2))
        let prefix = try #require(routes.first { $0.destination == IPNetwork("2001:db8::/64") })
        #expect(prefix.metric == 256)
        #expect(prefix.gateway == nil)
        #expect(routes.contains { $0.type == UInt8(RTN_LOCAL) && $0.destination == IPNetwork("2001:db8::5/128") })
    }

    @Test func neighbours() throws {
        let entries = try Self.payloads("neigh-dump", type: MessageType.newNeighbour)
            .map { payload throws(NetlinkError) in try Neighbour(decoding: payload) }
        let permanent = try #require(entries.first { $0.address == IPAddress("192.168.1.9") })
        #expect(permanent.family == .inet)
        #expect(permanent.interface == InterfaceIndex(2))
        #expect(permanent.hardwareAddress == MACAddress("02:00:00:00:00:09"))
        #expect(permanent.state == .permanent)

        let reachable = try #require(entries.first { $0.address == IPAddress("192.168.1.10") })
        #expect(reachable.state == .reachable)
        #expect(reachable.hardwareAddress == MACAddress("02:00:00:00:00:0a"))

        let v6 = try #require(entries.first { $0.address == IPAddress("2001:db8::9") })
        #expect(v6.family == .inet6)
        #expect(v6.state == .permanent)

        #expect(entries.filter { $0.state == .noARP }.count == 4, "multicast entries the kernel made")
    }

    @Test func bridgeForwardingDatabase() throws {
        let entries = try Self.payloads("fdb-dump", type: MessageType.newNeighbour)
            .map { payload throws(NetlinkError) in try Neighbour(decoding: payload) }
        #expect(entries.allSatisfy { $0.family == .bridge })

        let master = try #require(entries.first { $0.hardwareAddress == MACAddress("02:00:00:00:00:0a") })
        #expect(master.interface == InterfaceIndex(4))
        #expect(master.master == InterfaceIndex(2), "NDA_MASTER names the bridge")
        #expect(master.state == .noARP, "static entries are reported as NUD_NOARP")
        #expect(master.address == nil)

        let vxlan = entries.filter { $0.interface == InterfaceIndex(6) && $0.address != nil }
        #expect(vxlan.count == 3)
        #expect(vxlan.allSatisfy { $0.flags & UInt8(NTF_SELF) != 0 && $0.state.contains(.permanent) })
        let unicast = try #require(vxlan.first { $0.hardwareAddress == MACAddress("02:00:00:00:00:0b") })
        #expect(unicast.address == IPAddress("10.0.0.2"))
        let flood = vxlan.filter { $0.hardwareAddress == MACAddress("00:00:00:00:00:00") }.compactMap(\.address)
        #expect(Set(flood) == [try address("10.0.0.2"), try address("10.0.0.3")],
                "the default remote and the appended one")
    }

    @Test func monitorTurnsLinkAndAddressMessagesIntoEvents() throws {
        let linkMessage = try #require(try Fixture("replies/link-dump").messages().first {
            $0.type == MessageType.newLink && (try? Link(decoding: $0.payload))?.name == "br0"
        })
        #expect(NetlinkMonitor.event(from: linkMessage) == .linkAdded(try Link(decoding: linkMessage.payload)))
        var removed = linkMessage
        removed.type = MessageType.deleteLink
        #expect(NetlinkMonitor.event(from: removed) == .linkRemoved(try Link(decoding: linkMessage.payload)))

        let addressMessage = try #require(try Fixture("replies/addr-dump").messages().first {
            $0.type == MessageType.newAddress
        })
        let address = try Address(decoding: addressMessage.payload)
        #expect(NetlinkMonitor.event(from: addressMessage) == .addressAdded(address))
        var deleted = addressMessage
        deleted.type = MessageType.deleteAddress
        #expect(NetlinkMonitor.event(from: deleted) == .addressRemoved(address))

        let done = try #require(try Fixture("replies/link-dump").messages().last)
        #expect(done.type == UInt16(NLMSG_DONE))
        #expect(NetlinkMonitor.event(from: done) == nil)
        var truncated = linkMessage
        truncated.payload = Array(truncated.payload.prefix(10))
        #expect(NetlinkMonitor.event(from: truncated) == nil, "undecodable messages are dropped, not fatal")
    }
}
