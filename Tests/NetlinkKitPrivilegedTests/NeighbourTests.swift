import NetlinkKit
import SystemKit
import TestSupport
import Testing

/// Neighbour (ARP/NDP) entries and bridge FDB entries, each test in its own scratch namespace, read back with
/// `ip -j neigh` and `bridge -j fdb`.
@Suite(needsNamespaces) struct NeighbourTests {
    static func neighbour(in namespace: NetworkNamespace, _ address: String) throws -> [String: Any]? {
        try ipJSON(in: namespace, ["neigh", "show", "to", address]).first
    }

    /// The `dst` of every `bridge -j fdb` entry for `mac`.
    static func destinations(in entries: [[String: Any]], mac: String) -> [String] {
        var result: [String] = []
        for entry in entries where entry["mac"] as? String == mac {
            if let destination = entry["dst"] as? String { result.append(destination) }
        }
        return result
    }

    @Test func addReplaceDeleteIPv4() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            try socket.addAddress(try network("192.168.1.5/24"), to: bridge)
            let spec = NeighbourSpec(family: .inet, interface: bridge, address: try address("192.168.1.9"),
                                     hardwareAddress: try mac("02:00:00:00:00:09"))
            try socket.addNeighbour(spec)
            let added = try #require(try Self.neighbour(in: namespace, "192.168.1.9"))
            #expect(added["lladdr"] as? String == "02:00:00:00:00:09")
            #expect(added["state"] as? [String] == ["PERMANENT"])
            #expect(added["dev"] as? String == "br0")
            #expect(try socket.neighbours().contains { $0.address == spec.address && $0.state == .permanent })

            #expect(throws: NetlinkError.self) { try socket.addNeighbour(spec) }

            var replacement = spec
            replacement.hardwareAddress = try mac("02:00:00:00:00:0a")
            replacement.state = .reachable
            try socket.replaceNeighbour(replacement)
            let replaced = try #require(try Self.neighbour(in: namespace, "192.168.1.9"))
            #expect(replaced["lladdr"] as? String == "02:00:00:00:00:0a")
            #expect(replaced["state"] as? [String] == ["REACHABLE"])

            try socket.deleteNeighbour(NeighbourSpec(family: .inet, interface: bridge, address: spec.address))
            #expect(try Self.neighbour(in: namespace, "192.168.1.9") == nil)
        }
    }

    @Test func addAndDeleteIPv6() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            let spec = NeighbourSpec(family: .inet6, interface: bridge, address: try address("2001:db8::9"),
                                     hardwareAddress: try mac("02:00:00:00:00:09"))
            try socket.addNeighbour(spec)
            let added = try #require(try Self.neighbour(in: namespace, "2001:db8::9"))
            #expect(added["lladdr"] as? String == "02:00:00:00:00:09")
            #expect(try socket.neighbours(family: .inet6).contains { $0.address == spec.address })
            try socket.deleteNeighbour(spec)
            #expect(try Self.neighbour(in: namespace, "2001:db8::9") == nil)
        }
    }

    @Test func bridgeFDBStaticAndPermanentOnAPort() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let bridge = try socket.makeBridge()
            let (veth0, _) = try socket.makeVethPair()
            try socket.setLink(veth0, LinkChange(master: .some(bridge)))
            let staticMAC = try mac("02:00:00:00:00:0a")
            let permanentMAC = try mac("02:00:00:00:00:0b")
            try socket.addNeighbour(.fdb(staticMAC, interface: veth0, state: [.noARP, .reachable], onMaster: true))
            try socket.addNeighbour(.fdb(permanentMAC, interface: veth0, onMaster: true))

            let entries = try bridgeJSON(in: namespace, ["fdb", "show", "dev", "veth0"])
            let staticEntry = try #require(entries.first { $0["mac"] as? String == "02:00:00:00:00:0a" })
            #expect(staticEntry["master"] as? String == "br0")
            #expect(staticEntry["state"] as? String == "static")
            let permanentEntry = try #require(entries.first { $0["mac"] as? String == "02:00:00:00:00:0b" })
            #expect(permanentEntry["state"] as? String == "permanent")

            let dumped = try socket.neighbours(family: .bridge)
            #expect(dumped.contains { $0.hardwareAddress == staticMAC && $0.interface == veth0 && $0.master == bridge })

            try socket.deleteNeighbour(.fdb(staticMAC, interface: veth0, onMaster: true))
            let left = try bridgeJSON(in: namespace, ["fdb", "show", "dev", "veth0"]).map { $0["mac"] as? String }
            #expect(!left.contains("02:00:00:00:00:0a"))
            #expect(left.contains("02:00:00:00:00:0b"))
        }
    }

    @Test func vxlanSelfEntriesWithDestinationsAppendAndDelete() throws {
        try withScratchNetworkNamespace { namespace, socket in
            let options = VXLANOptions(id: 42, local: try address("10.0.0.1"), learning: false)
            try socket.addLink(LinkSpec(name: "vx0", kind: .vxlan(options)))
            let vxlan = try socket.index(of: "vx0")
            let peerMAC = try mac("02:00:00:00:00:0b")
            let flood = try mac("00:00:00:00:00:00")

            try socket.addNeighbour(.fdb(peerMAC, interface: vxlan, destination: try address("10.0.0.2"), onSelf: true))
            for remote in ["10.0.0.3", "10.0.0.4"] {
                let destination = try address(remote)
                try socket.appendNeighbour(.fdb(flood, interface: vxlan, destination: destination, onSelf: true))
            }

            let entries = try bridgeJSON(in: namespace, ["fdb", "show", "dev", "vx0"])
            let unicast = try #require(entries.first { $0["mac"] as? String == "02:00:00:00:00:0b" })
            #expect(unicast["dst"] as? String == "10.0.0.2")
            #expect(flags(unicast).contains("self"))
            #expect(unicast["state"] as? String == "permanent")
            #expect(Set(Self.destinations(in: entries, mac: "00:00:00:00:00:00")) == ["10.0.0.3", "10.0.0.4"],
                    "append keeps both remotes")

            let dumped = try socket.neighbours(family: .bridge).filter { $0.interface == vxlan }
            #expect(dumped.contains { $0.hardwareAddress == peerMAC && $0.address == IPAddress("10.0.0.2") })

            let third = try address("10.0.0.3")
            try socket.deleteNeighbour(.fdb(flood, interface: vxlan, destination: third, onSelf: true))
            let after = try bridgeJSON(in: namespace, ["fdb", "show", "dev", "vx0"])
            #expect(Self.destinations(in: after, mac: "00:00:00:00:00:00") == ["10.0.0.4"])

            #expect(throws: NetlinkError.self, "add refuses an existing MAC") {
                try socket.addNeighbour(.fdb(peerMAC, interface: vxlan, destination: try address("10.0.0.9"),
                                             onSelf: true))
            }
        }
    }
}
