import NetlinkKit
import SystemKit
import TestSupport
import Testing

@Suite(.enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)))
struct LinkBasicsTests {
    @Test func vethPeerCreatedInAnotherNamespaceAndEnslaved() throws {
        try withScratchNetworkNamespace { host, socket in
            let guest = try NetworkNamespace.anonymous(label: "guest")
            try socket.addLink(LinkSpec(name: "br0", kind: .bridge, up: true))
            let bridge = try #require(try socket.link(named: "br0"))
            try socket.addLink(LinkSpec(name: "vsp1", kind: .veth(peer: VethPeer(name: "eth1", namespace: guest)),
                                        master: bridge.index, up: true, alias: "splice:test"))
            let links = try ipJSON(in: host, ["link", "show", "vsp1"])
            #expect(links.first?["master"] as? String == "br0")
            #expect(links.first?["ifalias"] as? String == "splice:test")
            #expect(try ipJSON(in: guest, ["link", "show", "eth1"]).count == 1)
        }
    }

    @Test func duplicateNameIsExplained() throws {
        try withScratchNetworkNamespace { _, socket in
            try socket.addLink(LinkSpec(name: "br0", kind: .bridge))
            let error = #expect(throws: NetlinkError.self) { try socket.addLink(LinkSpec(name: "br0", kind: .bridge)) }
            #expect(error?.description == "cannot create bridge \"br0\": an interface with that name already exists (EEXIST)")
        }
    }
}
