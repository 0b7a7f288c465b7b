import Foundation
import Glibc
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

    @Test func alternativeNamesAreAddedReadAndRemoved() throws {
        try withScratchNetworkNamespace { host, socket in
            try socket.addLink(LinkSpec(name: "br0", kind: .bridge))
            let bridge = try #require(try socket.link(named: "br0"))
            try socket.addAlternativeName("splice-network-frontend-0001", to: bridge.index)
            #expect(try socket.link(bridge.index)?.alternativeNames == ["splice-network-frontend-0001"])
            let shown = try ipJSON(in: host, ["link", "show", "br0"]).first?["altnames"] as? [String]
            #expect(shown == ["splice-network-frontend-0001"])
            try socket.deleteAlternativeName("splice-network-frontend-0001", from: bridge.index)
            #expect(try socket.link(bridge.index)?.alternativeNames == [])
        }
    }

    @Test func moveByProcessID() throws {
        try withScratchNetworkNamespace { _, socket in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            process.arguments = ["--net", "/bin/sleep", "30"]
            try process.run()
            defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
            var moved = false
            for _ in 0..<50 {
                let current = try NetworkNamespace.open(pid: process.processIdentifier)
                if try current.identity() != NetworkNamespace.host().identity() { moved = true; break }
                usleep(20_000)
            }
            try #require(moved)
            let fresh = try NetworkNamespace.open(pid: process.processIdentifier)
            try socket.addLink(LinkSpec(name: "mv0", kind: .veth(peer: VethPeer(name: "mv1"))))
            let link = try #require(try socket.link(named: "mv0"))
            try socket.moveLink(link.index, toProcess: process.processIdentifier, name: "mv0")
            #expect(try socket.link(named: "mv0") == nil)
            #expect(try ipJSON(in: fresh, ["link", "show", "mv0"]).count == 1)
        }
    }
}
