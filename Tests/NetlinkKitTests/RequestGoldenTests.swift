import CLinuxShims
import Glibc
import SystemKit
import Testing

@testable import NetlinkKit

/// One request NetlinkKit encodes, the socket call that sends it, and the iproute2 capture it must equal.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    /// `requests/<fixture>.txt`.
    let fixture: String
    let type: UInt16
    let flags: UInt16
    /// Top-level attributes only ip sends, left out of the comparison.
    var ignoring: Set<UInt16> = []
    /// The payload, from the public encoders.
    let payload: @Sendable () throws -> [UInt8]
    /// The same request through `NetlinkSocket`'s public API, which picks the message type and flags.
    let perform: @Sendable (NetlinkSocket) throws -> Void

    var testDescription: String { fixture }
}

/// Golden-byte tests: every request kind, encoded by NetlinkKit, equals what `ip`/`bridge` send for the same
/// command (captured by Fixtures/capture.py; see Fixtures/README.md). nlmsg_seq, nlmsg_pid and namespace fds are
/// `??` in the fixtures; everything else is compared byte for byte. Where NetlinkKit's attribute order differed
/// from ip's, the encoder was changed to ip's order (no case needs a structural comparison).
@Suite struct RequestGoldenTests {
    static let extMask: Set<UInt16> = [nl(IFLA_EXT_MASK)]
    static let br0 = InterfaceIndex(2)
    /// `ip link add name veth0 type veth peer name veth1` registers the peer first: veth1 is 3, veth0 is 4.
    static let veth1 = InterfaceIndex(3)
    static let veth0 = InterfaceIndex(4)

    static func link(_ fixture: String, _ spec: @escaping @Sendable () throws -> LinkSpec) -> GoldenCase {
        GoldenCase(fixture: fixture, type: MessageType.newLink, flags: Flags.newObject,
                   payload: { LinkMessages.create(try spec()) }, perform: { try $0.addLink(try spec()) })
    }

    static func set(_ fixture: String, _ index: InterfaceIndex, _ change: @escaping @Sendable () throws -> LinkChange)
        -> GoldenCase
    {
        GoldenCase(fixture: fixture, type: MessageType.newLink, flags: Flags.change,
                   payload: { LinkMessages.change(index, try change()) },
                   perform: { try $0.setLink(index, try change()) })
    }

    static func route(_ fixture: String, replace: Bool = false, _ spec: @escaping @Sendable () throws -> RouteSpec)
        -> GoldenCase
    {
        GoldenCase(fixture: fixture, type: MessageType.newRoute,
                   flags: replace ? Flags.request | Flags.ack | Flags.create | Flags.replace : Flags.newObject,
                   payload: { RouteMessages.route(try spec()) },
                   perform: { socket in
                       if replace { try socket.replaceRoute(try spec()) } else { try socket.addRoute(try spec()) }
                   })
    }

    static func deleteRoute(_ fixture: String, _ spec: @escaping @Sendable () throws -> RouteSpec) -> GoldenCase {
        GoldenCase(fixture: fixture, type: MessageType.deleteRoute, flags: Flags.change,
                   payload: { RouteMessages.route(try spec(), deleting: true) },
                   perform: { try $0.deleteRoute(try spec()) })
    }

    enum NeighbourOperation: Sendable { case add, append, replace, delete }

    static func neighbour(_ fixture: String, _ operation: NeighbourOperation,
                          _ spec: @escaping @Sendable () throws -> NeighbourSpec) -> GoldenCase
    {
        let flags: UInt16 =
            switch operation {
            case .add: Flags.newObject
            case .append: Flags.request | Flags.ack | Flags.create | Flags.append
            case .replace: Flags.request | Flags.ack | Flags.create | Flags.replace
            case .delete: Flags.change
            }
        return GoldenCase(
            fixture: fixture, type: operation == .delete ? MessageType.deleteNeighbour : MessageType.newNeighbour,
            flags: flags, payload: { NeighbourMessages.neighbour(try spec()) },
            perform: { socket in
                switch operation {
                case .add: try socket.addNeighbour(try spec())
                case .append: try socket.appendNeighbour(try spec())
                case .replace: try socket.replaceNeighbour(try spec())
                case .delete: try socket.deleteNeighbour(try spec())
                }
            })
    }

    static let cases: [GoldenCase] = linkCases + addressCases + routeCases + neighbourCases + fdbCases

    static let linkCases: [GoldenCase] = [
        link("link-add-bridge") { LinkSpec(name: "br0", kind: .bridge) },
        link("link-add-bridge-options") {
            LinkSpec(name: "br0", kind: .bridge, mtu: 1400, address: try mac("02:00:00:00:00:01"), up: true)
        },
        link("link-add-bridge-netns") { LinkSpec(name: "br0", kind: .bridge, namespace: try TestNamespace.required()) },
        link("link-add-veth") { LinkSpec(name: "veth0", kind: .veth(peer: VethPeer(name: "veth1"))) },
        link("link-add-veth-netns") {
            LinkSpec(name: "veth0", kind: .veth(peer: VethPeer(name: "eth1", namespace: try TestNamespace.required())))
        },
        link("link-add-veth-peer-options") {
            let peer = VethPeer(name: "eth1", namespace: try TestNamespace.required(), mtu: 1400,
                                address: try mac("02:00:00:00:00:03"))
            return LinkSpec(name: "veth0", kind: .veth(peer: peer))
        },
        link("link-add-veth-master") {
            LinkSpec(name: "veth0", kind: .veth(peer: VethPeer(name: "veth1")), master: br0, up: true)
        },
        link("link-add-macvlan-bridge") { LinkSpec(name: "mv0", kind: .macvlan(mode: .bridge), parent: br0) },
        link("link-add-macvlan-private") { LinkSpec(name: "mv0", kind: .macvlan(mode: .private), parent: br0) },
        link("link-add-macvlan-vepa") { LinkSpec(name: "mv0", kind: .macvlan(mode: .vepa), parent: br0) },
        link("link-add-macvlan-passthru") { LinkSpec(name: "mv0", kind: .macvlan(mode: .passthru), parent: br0) },
        link("link-add-macvlan-options") {
            LinkSpec(name: "mv0", kind: .macvlan(mode: .bridge), mtu: 1400, address: try mac("02:00:00:00:00:05"),
                     parent: br0, up: true)
        },
        link("link-add-vxlan") {
            let options = VXLANOptions(id: 42, local: try address("10.0.0.1"), remote: try address("10.0.0.2"),
                                       port: 4789, learning: true, ttl: 64)
            return LinkSpec(name: "vx0", kind: .vxlan(options), parent: br0)
        },
        link("link-add-vxlan-group") {
            let options = VXLANOptions(id: 7, group: try address("239.1.1.1"), port: 8472, learning: false)
            return LinkSpec(name: "vx1", kind: .vxlan(options), parent: br0)
        },
        link("link-add-vxlan-proxy") {
            let options = VXLANOptions(id: 4097, local: try address("10.0.0.1"), port: 4789, learning: false,
                                       proxy: true)
            return LinkSpec(name: "vx2", kind: .vxlan(options), parent: br0)
        },
        link("link-add-vxlan-v6") {
            let options = VXLANOptions(id: 100, local: try address("2001:db8::1"), remote: try address("2001:db8::2"))
            return LinkSpec(name: "vx6", kind: .vxlan(options))
        },
        link("link-add-vlan") { LinkSpec(name: "br0.10", kind: .vlan(id: 10), parent: br0) },
        set("link-set-up", br0) { LinkChange(up: true) },
        set("link-set-down", br0) { LinkChange(up: false) },
        set("link-set-name", br0) { LinkChange(name: "br9") },
        set("link-set-address", br0) { LinkChange(address: try mac("02:00:00:00:00:09")) },
        set("link-set-mtu", br0) { LinkChange(mtu: 1400) },
        set("link-set-master", veth0) { LinkChange(master: .some(br0)) },
        set("link-set-nomaster", veth0) { LinkChange(master: .some(nil)) },
        set("link-set-netns", veth1) { LinkChange(namespace: try TestNamespace.required()) },
        set("link-set-alias", br0) { LinkChange(alias: "splice:test") },
        set("link-set-combined", veth0) {
            LinkChange(up: true, name: "vsp1", mtu: 1400, address: try mac("02:00:00:00:00:03"), master: .some(br0),
                       alias: "splice:x")
        },
        GoldenCase(fixture: "link-del", type: MessageType.deleteLink, flags: Flags.change,
                   payload: { LinkMessages.delete(br0) }, perform: { try $0.deleteLink(br0) }),
        GoldenCase(fixture: "link-get-name", type: MessageType.getLink, flags: Flags.request, ignoring: extMask,
                   payload: { LinkMessages.get(named: "br0") }, perform: { _ = try $0.link(named: "br0") }),
        GoldenCase(fixture: "link-dump", type: MessageType.getLink, flags: Flags.request | Flags.dump,
                   ignoring: extMask, payload: { LinkMessages.dump() }, perform: { _ = try $0.links() }),
    ]

    static let addressCases: [GoldenCase] = [
        GoldenCase(fixture: "addr-add-v4-broadcast", type: MessageType.newAddress, flags: Flags.newObject,
                   payload: { AddressMessages.add(try network("192.168.1.5/24"), to: br0) },
                   perform: { try $0.addAddress(try network("192.168.1.5/24"), to: br0) }),
        GoldenCase(fixture: "addr-add-v4", type: MessageType.newAddress, flags: Flags.newObject,
                   payload: { AddressMessages.add(try network("192.168.1.5/24"), to: br0, broadcast: false) },
                   perform: { _ in }),
        GoldenCase(fixture: "addr-add-v6", type: MessageType.newAddress, flags: Flags.newObject,
                   payload: { AddressMessages.add(try network("2001:db8::5/64"), to: br0) },
                   perform: { try $0.addAddress(try network("2001:db8::5/64"), to: br0) }),
        GoldenCase(fixture: "addr-del-v4", type: MessageType.deleteAddress, flags: Flags.change,
                   payload: { AddressMessages.delete(try network("192.168.1.5/24"), from: br0) },
                   perform: { try $0.deleteAddress(try network("192.168.1.5/24"), from: br0) }),
        GoldenCase(fixture: "addr-del-v6", type: MessageType.deleteAddress, flags: Flags.change,
                   payload: { AddressMessages.delete(try network("2001:db8::5/64"), from: br0) },
                   perform: { try $0.deleteAddress(try network("2001:db8::5/64"), from: br0) }),
        GoldenCase(fixture: "addr-dump", type: MessageType.getAddress, flags: Flags.request | Flags.dump,
                   payload: { AddressMessages.dump(family: .inet) }, perform: { _ = try $0.addresses(family: .inet) }),
    ]

    static let routeCases: [GoldenCase] = [
        route("route-add-default-via") { RouteSpec(gateway: try address("192.168.1.1")) },
        route("route-add-dev") { RouteSpec(destination: try network("10.1.0.0/16"), device: br0) },
        route("route-add-via-dev") {
            RouteSpec(destination: try network("10.1.0.0/16"), gateway: try address("192.168.1.1"), device: br0)
        },
        route("route-add-onlink") { RouteSpec(gateway: try address("10.9.9.1"), device: br0, onlink: true) },
        route("route-add-table-100") {
            RouteSpec(destination: try network("10.2.0.0/16"), gateway: try address("192.168.1.1"), table: 100)
        },
        route("route-add-table-1000") {
            RouteSpec(destination: try network("10.2.0.0/16"), gateway: try address("192.168.1.1"), table: 1000)
        },
        route("route-add-metric") {
            RouteSpec(destination: try network("10.3.0.0/16"), gateway: try address("192.168.1.1"), metric: 50)
        },
        route("route-add-all") {
            RouteSpec(destination: try network("10.5.0.0/16"), gateway: try address("192.168.1.1"), device: br0,
                      table: 1000, metric: 50)
        },
        route("route-add-scope-link") { RouteSpec(destination: try network("10.4.0.0/16"), device: br0, scope: .link) },
        route("route-add-scope-host") { RouteSpec(destination: try network("10.4.0.0/16"), device: br0, scope: .host) },
        route("route-replace", replace: true) {
            RouteSpec(destination: try network("10.1.0.0/16"), gateway: try address("192.168.1.1"))
        },
        deleteRoute("route-del") {
            RouteSpec(destination: try network("10.1.0.0/16"), gateway: try address("192.168.1.1"))
        },
        deleteRoute("route-del-default") { RouteSpec(family: .inet) },
        deleteRoute("route-del-table-1000") { RouteSpec(destination: try network("10.2.0.0/16"), table: 1000) },
        route("route6-add-default-via") { RouteSpec(gateway: try address("2001:db8::1")) },
        route("route6-add-dev") { RouteSpec(destination: try network("2001:db8:1::/64"), device: br0) },
        deleteRoute("route6-del") {
            RouteSpec(destination: try network("2001:db8:1::/64"), gateway: try address("2001:db8::1"))
        },
        GoldenCase(fixture: "route-dump", type: MessageType.getRoute, flags: Flags.request | Flags.dump,
                   payload: { RouteMessages.dump(family: .unspecified) },
                   perform: { _ = try $0.routes(family: .unspecified) }),
    ]

    static let neighbourCases: [GoldenCase] = [
        neighbour("neigh-add", .add) {
            NeighbourSpec(family: .inet, interface: br0, address: try address("192.168.1.9"),
                          hardwareAddress: try mac("02:00:00:00:00:09"))
        },
        neighbour("neigh-add-v6", .add) {
            NeighbourSpec(family: .inet6, interface: br0, address: try address("2001:db8::9"),
                          hardwareAddress: try mac("02:00:00:00:00:09"))
        },
        neighbour("neigh-replace", .replace) {
            NeighbourSpec(family: .inet, interface: br0, address: try address("192.168.1.9"),
                          hardwareAddress: try mac("02:00:00:00:00:0a"), state: .reachable)
        },
        neighbour("neigh-del", .delete) {
            NeighbourSpec(family: .inet, interface: br0, address: try address("192.168.1.9"))
        },
        GoldenCase(fixture: "neigh-dump", type: MessageType.getNeighbour, flags: Flags.request | Flags.dump,
                   payload: { NeighbourMessages.dump(family: .inet) },
                   perform: { _ = try $0.neighbours(family: .inet) }),
    ]

    /// `bridge fdb` sends `NUD_NOARP` with every state: `permanent` is NOARP|PERMANENT, `static` NOARP|REACHABLE.
    static let fdbCases: [GoldenCase] = [
        neighbour("fdb-add-master-static", .add) {
            .fdb(try mac("02:00:00:00:00:0a"), interface: veth0, state: [.noARP, .reachable], onMaster: true)
        },
        neighbour("fdb-add-master-permanent", .add) {
            .fdb(try mac("02:00:00:00:00:0a"), interface: veth0, state: [.noARP, .permanent], onMaster: true)
        },
        neighbour("fdb-add-self-dst", .add) {
            .fdb(try mac("02:00:00:00:00:0b"), interface: br0, destination: try address("10.0.0.2"),
                 state: [.noARP, .permanent], onSelf: true)
        },
        neighbour("fdb-append-self-dst", .append) {
            .fdb(try mac("00:00:00:00:00:00"), interface: br0, destination: try address("10.0.0.3"),
                 state: [.noARP, .permanent], onSelf: true)
        },
        neighbour("fdb-del-master", .delete) {
            .fdb(try mac("02:00:00:00:00:0a"), interface: veth0, state: [.noARP, .permanent], onMaster: true)
        },
        neighbour("fdb-del-self-dst", .delete) {
            .fdb(try mac("02:00:00:00:00:0b"), interface: br0, destination: try address("10.0.0.2"),
                 state: [.noARP, .permanent], onSelf: true)
        },
        GoldenCase(fixture: "fdb-dump", type: MessageType.getNeighbour, flags: Flags.request | Flags.dump,
                   payload: { NeighbourMessages.dump(family: .bridge) },
                   perform: { _ = try $0.neighbours(family: .bridge) }),
    ]

    @Test("the encoder's bytes equal ip's", arguments: cases)
    func encoderMatchesCapture(_ golden: GoldenCase) throws {
        let message = NetlinkMessage(type: golden.type, flags: golden.flags, sequence: 0, portID: 0,
                                     payload: try golden.payload())
        try expectBytes(message.encoded(), match: "requests/\(golden.fixture)", ignoring: golden.ignoring)
    }

    @Test("the socket sends ip's bytes, flags included", arguments: cases.filter { $0.fixture != "addr-add-v4" })
    func socketSendsCapture(_ golden: GoldenCase) throws {
        let transport = RecordingTransport { request in
            if request.type == MessageType.getLink && request.flags & Flags.dump != Flags.dump {
                // A lookup by name or index is answered with the interface, from a captured dump.
                let bridge = (try? Fixture("replies/link-dump").messages())?.first { message in
                    message.type == MessageType.newLink && (try? Link(decoding: message.payload))?.name == "br0"
                }
                return bridge.map { [Reply.datagram([$0], answering: request)] } ?? []
            }
            if request.flags & Flags.dump == Flags.dump { return [Reply.done(to: request)] }
            return [Reply.ack(to: request)]
        }
        try golden.perform(NetlinkSocket(transport: transport))
        let sent = try #require(transport.sent.first)
        try expectBytes(sent, match: "requests/\(golden.fixture)", ignoring: golden.ignoring)
        #expect(transport.sent.count == 1, "one request, no follow-up")
    }

    @Test func namespaceDescriptorsAreTheOnesGiven() throws {
        let namespace = try TestNamespace.required()
        let fd = namespace.descriptor.rawValue

        let bridge = try Attributes(LinkMessages.create(LinkSpec(name: "br0", kind: .bridge, namespace: namespace)),
                                    from: 16)
        #expect(bridge.integer(nl(IFLA_NET_NS_FD), as: Int32.self) == fd)

        let veth = LinkMessages.create(LinkSpec(name: "veth0", kind: .veth(peer: VethPeer(name: "eth1",
                                                                                          namespace: namespace))))
        let peer = try #require(try Attributes(veth, from: 16).nested(nl(IFLA_LINKINFO))?.nested(nl(IFLA_INFO_DATA))?
            .all(nl(VETH_INFO_PEER)).first)
        let peerAttributes = try Attributes(peer, from: peer.startIndex + 16)
        #expect(peerAttributes.integer(nl(IFLA_NET_NS_FD), as: Int32.self) == fd)
        #expect(peerAttributes.string(nl(IFLA_IFNAME)) == "eth1")
        #expect(try Attributes(veth, from: 16).integer(nl(IFLA_NET_NS_FD), as: Int32.self) == nil,
                "only the peer moves")

        let moved = try Attributes(LinkMessages.change(InterfaceIndex(3), LinkChange(namespace: namespace)), from: 16)
        #expect(moved.integer(nl(IFLA_NET_NS_FD), as: Int32.self) == fd)
    }

    @Test func aliasOnCreateIsASecondRequestByName() throws {
        let transport = RecordingTransport()
        try NetlinkSocket(transport: transport).addLink(LinkSpec(name: "br0", kind: .bridge, alias: "splice:test"))
        let sent = transport.sent
        try #require(sent.count == 2, "create, then set the alias by name without a lookup")
        try expectBytes(sent[0], match: "requests/link-add-bridge")
        try expectBytes(sent[1], matchingByName: "br0", "requests/link-set-alias")
    }

    @Test func failedAliasRemovesTheNewLinkByName() throws {
        let transport = RecordingTransport { request in
            request.type == MessageType.newLink && request.flags & Flags.create == 0
                ? [Reply.error(EINVAL, to: request)] : [Reply.ack(to: request)]
        }
        #expect(throws: NetlinkError.self) {
            try NetlinkSocket(transport: transport).addLink(LinkSpec(name: "br0", kind: .bridge, alias: "x"))
        }
        let sent = transport.sent
        try #require(sent.count == 3)
        try expectBytes(sent[2], matchingByName: "br0", "requests/link-del")
    }

    /// ip always addresses an existing link by index; NetlinkKit can also address it by name, with index 0 and
    /// `IFLA_IFNAME` appended. These compare against ip's capture with exactly that change made to it.
    @Test("by-name requests are ip's with the index replaced by IFLA_IFNAME",
          arguments: ["link-set-up", "link-set-down", "link-set-address", "link-set-mtu", "link-set-alias",
                      "link-set-nomaster"])
    func changeByName(_ fixture: String) throws {
        let change: LinkChange =
            switch fixture {
            case "link-set-up": LinkChange(up: true)
            case "link-set-down": LinkChange(up: false)
            case "link-set-address": LinkChange(address: try mac("02:00:00:00:00:09"))
            case "link-set-mtu": LinkChange(mtu: 1400)
            case "link-set-alias": LinkChange(alias: "splice:test")
            default: LinkChange(master: .some(nil))
            }
        let name = fixture == "link-set-nomaster" ? "veth0" : "br0"
        let message = NetlinkMessage(type: MessageType.newLink, flags: Flags.change, sequence: 0, portID: 0,
                                     payload: LinkMessages.change(named: name, change))
        try expectBytes(message.encoded(), matchingByName: name, "requests/\(fixture)")

        let transport = RecordingTransport()
        try NetlinkSocket(transport: transport).setLink(named: name, change)
        try expectBytes(try #require(transport.sent.first), matchingByName: name, "requests/\(fixture)")
    }

    @Test func deleteByName() throws {
        let message = NetlinkMessage(type: MessageType.deleteLink, flags: Flags.change, sequence: 0, portID: 0,
                                     payload: LinkMessages.delete(named: "br0"))
        try expectBytes(message.encoded(), matchingByName: "br0", "requests/link-del")
        let transport = RecordingTransport()
        try NetlinkSocket(transport: transport).deleteLink(named: "br0")
        try expectBytes(try #require(transport.sent.first), matchingByName: "br0", "requests/link-del")
    }

    /// `IFLA_AF_SPEC { AF_INET { IFLA_INET_CONF { IPV4_DEVCONF_* u32 } } }`: ip has no syntax for it, so this
    /// checks the structure the kernel's `inet_set_link_af` reads.
    @Test func ipv4DeviceSettingsNestUnderAFSpec() throws {
        let payload = LinkMessages.change(InterfaceIndex(2), LinkChange(ipv4: [.arpNotify: 1, .forwarding: 0]))
        let attributes = try Attributes(payload, from: 16)
        #expect(attributes.types == [nl(IFLA_AF_SPEC)])
        let inet = try #require(try attributes.nested(nl(IFLA_AF_SPEC))?.nested(UInt16(AF_INET)))
        let conf = try #require(try inet.nested(nl(IFLA_INET_CONF)))
        #expect(conf.integer(UInt16(IPV4_DEVCONF_ARP_NOTIFY), as: UInt32.self) == 1)
        #expect(conf.integer(UInt16(IPV4_DEVCONF_FORWARDING), as: UInt32.self) == 0)
        #expect(conf.types.count == 2)
        let empty = try Attributes(LinkMessages.change(InterfaceIndex(2), LinkChange(up: true)), from: 16)
        #expect(!empty.contains(nl(IFLA_AF_SPEC)))
    }

    @Test func vxlanParentTravelsOnlyAsVXLANLink() throws {
        let spec = LinkSpec(name: "vx0", kind: .vxlan(VXLANOptions(id: 1)), parent: InterfaceIndex(7))
        let attributes = try Attributes(LinkMessages.create(spec), from: 16)
        #expect(!attributes.contains(nl(IFLA_LINK)))
        let data = try #require(try attributes.nested(nl(IFLA_LINKINFO))?.nested(nl(IFLA_INFO_DATA)))
        #expect(data.integer(nl(IFLA_VXLAN_LINK), as: UInt32.self) == 7)
    }
}

@Suite struct GoldenHarnessTests {
    @Test func aDifferentByteIsReported() throws {
        var bytes = NetlinkMessage(type: MessageType.newLink, flags: Flags.newObject, sequence: 0, portID: 0,
                                   payload: LinkMessages.create(LinkSpec(name: "br1", kind: .bridge))).encoded()
        withKnownIssue("br1 is not br0") { try expectBytes(bytes, match: "requests/link-add-bridge") }
        bytes.append(0)
        withKnownIssue("one byte too many") { try expectBytes(bytes, match: "requests/link-add-bridge") }
    }

    @Test func maskedBytesAndIgnoredAttributesAreSkipped() throws {
        let fixture = try Fixture("requests/link-dump")
        #expect(fixture.request[8..<16].allSatisfy { $0 == nil }, "nlmsg_seq and nlmsg_pid are masked")
        let stripped = removingAttributes([nl(IFLA_EXT_MASK)], from: fixture.request)
        #expect(stripped.count == fixture.request.count - 8)
        #expect(stripped[0] == UInt8(stripped.count))
        let message = NetlinkMessage(type: MessageType.getLink, flags: Flags.request | Flags.dump, sequence: 77,
                                     portID: 9, payload: LinkMessages.dump())
        try expectBytes(message.encoded(), match: "requests/link-dump", ignoring: [nl(IFLA_EXT_MASK)])
    }
}
