import NetlinkKit
import SystemKit
import TestSupport
import Testing

/// The errors users read: what the kernel refuses, with NetlinkKit's explanation or the kernel's extended ACK.
@Suite(needsNamespaces) struct ErrorTextTests {
    @Test func existingNameIsEEXIST() throws {
        try withScratchNetworkNamespace { _, socket in
            try socket.makeVethPair()
            let error = #expect(throws: NetlinkError.self) {
                try socket.addLink(LinkSpec(name: "veth0", kind: .veth(peer: VethPeer(name: "other1"))))
            }
            #expect(error?.errno == .exists)
            #expect(error?.description
                    == "cannot create veth \"veth0\": an interface with that name already exists (EEXIST)")
        }
    }

    @Test func missingInterfaceIsENODEV() throws {
        try withScratchNetworkNamespace { _, socket throws in
            let missing = InterfaceIndex(999)
            let change = #expect(throws: NetlinkError.self) { try socket.setLink(missing, LinkChange(up: true)) }
            #expect(change?.errno == .noSuchDevice)
            #expect(change?.description.hasPrefix("cannot change interface 999: ") == true)
            #expect(change?.description.hasSuffix("(ENODEV)") == true)

            let delete = #expect(throws: NetlinkError.self) { try socket.deleteLink(missing, name: "gone0") }
            #expect(delete?.errno == .noSuchDevice)
            #expect(delete?.errno?.meansAlreadyGone == true)
            #expect(delete?.description.hasPrefix("cannot delete \"gone0\": ") == true)

            let address = #expect(throws: NetlinkError.self) {
                try socket.addAddress(try network("10.0.0.1/24"), to: missing)
            }
            #expect(address?.errno == .noSuchDevice)

            let parent = #expect(throws: NetlinkError.self) {
                try socket.addLink(LinkSpec(name: "mv0", kind: .macvlan(mode: .bridge), parent: missing))
            }
            #expect(parent?.errno == .noSuchDevice)
            let lookup = try socket.link(named: "gone0")
            #expect(lookup == nil, "a lookup of a missing name is nil, not an error")
        }
    }

    @Test func nameTooLongIsRefusedWithTheLimit() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let name = "splice-too-long0"
            let error = #expect(throws: NetlinkError.self) { try socket.addLink(LinkSpec(name: name, kind: .bridge)) }
            #expect(error?.errno == .invalidArgument)
            #expect(error?.description == "cannot create bridge \"splice-too-long0\": interface name "
                    + "\"splice-too-long0\" is 16 bytes; the limit is 15 (EINVAL)")
            let bridge = try socket.makeBridge()
            let rename = #expect(throws: NetlinkError.self) { try socket.setLink(bridge, LinkChange(name: name)) }
            #expect(rename?.errno == .invalidArgument)
            #expect(try ipLink(in: namespace, "br0") != nil, "nothing changed")

            // The kernel agrees with the limit NetlinkKit checks first: ip's own request fails the same way.
            #expect(try runIn(namespace, ["ip", "link", "add", "name", name, "type", "bridge"]).status != 0)
        }
    }

    @Test func kernelExtendedAckTextReachesTheCaller() throws {
        try withScratchNetworkNamespace { _, socket in
            let bridge = try socket.makeBridge()
            let error = #expect(throws: NetlinkError.self) { try socket.setLink(bridge, LinkChange(mtu: 70000)) }
            #expect(error == .kernel(errno: .invalidArgument, operation: "change interface \(bridge)",
                                     message: "mtu greater than device maximum"))
        }
    }
}
