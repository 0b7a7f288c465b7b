import Foundation
import NetlinkKit
import SystemKit
import TestSupport
import Testing

/// Addresses, each test in its own scratch namespace, read back with `ip -j addr`.
@Suite(needsNamespaces) struct AddressTests {
    static func addressInfo(in namespace: NetworkNamespace, _ device: String) throws -> [[String: Any]] {
        try ipJSON(in: namespace, ["addr", "show", "dev", device]).first?["addr_info"] as? [[String: Any]] ?? []
    }

    @Test func ipv4WithBroadcast() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            try socket.addAddress(try network("192.168.1.5/24"), to: bridge, name: "br0")
            let info = try #require(try Self.addressInfo(in: namespace, "br0")
                .first { $0["family"] as? String == "inet" })
            #expect(info["local"] as? String == "192.168.1.5")
            #expect(info["prefixlen"] as? Int == 24)
            #expect(info["broadcast"] as? String == "192.168.1.255")

            let dumped = try #require(try socket.addresses(family: .inet).first { $0.interface == bridge })
            #expect(dumped.network == IPNetwork("192.168.1.5/24"))
            #expect(dumped.broadcast == IPv4Address("192.168.1.255"))
            #expect(dumped.label == "br0")
        }
    }

    @Test func ipv4PointToPointPrefixHasNoBroadcast() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            try socket.addAddress(try network("10.9.0.1/31"), to: bridge)
            let info = try #require(try Self.addressInfo(in: namespace, "br0")
                .first { $0["family"] as? String == "inet" })
            #expect(info["local"] as? String == "10.9.0.1")
            #expect(info["broadcast"] == nil)
        }
    }

    @Test func ipv6AddDumpDelete() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            let v6 = try network("2001:db8::5/64")
            try socket.addAddress(v6, to: bridge)
            let info = try Self.addressInfo(in: namespace, "br0").filter { $0["family"] as? String == "inet6" }
            #expect(info.contains { $0["local"] as? String == "2001:db8::5" && $0["prefixlen"] as? Int == 64 })
            #expect(try socket.addresses(family: .inet6).contains { $0.network == v6 && $0.interface == bridge })
            #expect(try socket.addresses(family: .inet).isEmpty, "the family filter holds")

            try socket.deleteAddress(v6, from: bridge)
            #expect(!(try Self.addressInfo(in: namespace, "br0")).contains { $0["local"] as? String == "2001:db8::5" })
            #expect(!(try socket.addresses(family: .inet6)).contains { $0.network == v6 })
        }
    }

    @Test func ipv4DeleteAndDumpOfBothFamilies() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            let v4 = try network("192.168.1.5/24")
            try socket.addAddress(v4, to: bridge)
            try socket.addAddress(try network("10.0.0.1/8"), to: bridge)
            try socket.addAddress(try network("2001:db8::5/64"), to: bridge)
            let all = try socket.addresses()
            #expect(all.contains { $0.network == v4 })
            #expect(all.contains { $0.network.address.family == .inet6 })
            try socket.deleteAddress(v4, from: bridge)
            let left = try Self.addressInfo(in: namespace, "br0").compactMap { $0["local"] as? String }
            #expect(!left.contains("192.168.1.5"))
            #expect(left.contains("10.0.0.1"))
        }
    }

    @Test func duplicateAndMissingAddresses() throws {
        try withScratchNetworkNamespace { _, socket in
            let bridge = try socket.makeBridge()
            let v4 = try network("192.168.1.5/24")
            try socket.addAddress(v4, to: bridge, name: "br0")
            let duplicate = #expect(throws: NetlinkError.self) { try socket.addAddress(v4, to: bridge, name: "br0") }
            #expect(duplicate?.description
                    == "cannot add 192.168.1.5/24 to \"br0\": the interface already has that address (EEXIST)")
            try socket.deleteAddress(v4, from: bridge)
            let missing = #expect(throws: NetlinkError.self) { try socket.deleteAddress(v4, from: bridge) }
            #expect(missing?.errno == .addressNotAvailable)
            #expect(missing?.errno?.meansAlreadyGone == true)
        }
    }
}
