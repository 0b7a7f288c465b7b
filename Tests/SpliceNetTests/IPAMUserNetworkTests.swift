import Foundation
import NetlinkKit
import Testing

@testable import SpliceNet

/// IPAM over several user-defined networks, as `network create` uses it: distinct subnets without overlap, a
/// given subnet skipped by later automatic ones, a removed network's subnet reused, one owner on several networks.
@Suite struct IPAMUserNetworkTests {
    private func withIPAM<T>(_ body: (IPAM) throws -> T) throws -> T {
        var template = Array("/tmp/splice-ipam-nets-XXXXXX".utf8CString)
        let path = try #require(mkdtemp(&template).map { String(cString: $0) })
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(try IPAM(stateDirectory: path))
    }

    @Test func automaticSubnetsSkipTakenOnesAndNeverOverlap() throws {
        try withIPAM { ipam in
            _ = try ipam.createPool(name: "splice0")
            _ = try ipam.createPool(name: "given", subnet: try #require(IPNetwork("172.19.0.0/16")))
            let first = try ipam.createPool(name: "n1")
            let second = try ipam.createPool(name: "n2")
            #expect(first.subnet.description == "172.20.0.0/16")
            #expect(second.subnet.description == "172.21.0.0/16")
            let pools = try ipam.pools()
            for (index, pool) in pools.enumerated() {
                for other in pools[(index + 1)...] { #expect(!pool.subnet.overlaps(other.subnet)) }
            }
        }
    }

    @Test func overlappingGivenSubnetIsRefusedAndLeavesNoPool() throws {
        try withIPAM { ipam in
            _ = try ipam.createPool(name: "n1", subnet: try #require(IPNetwork("10.202.0.0/24")))
            #expect(throws: IPAMError.self) {
                try ipam.createPool(name: "n2", subnet: try #require(IPNetwork("10.202.0.128/25")))
            }
            #expect(try ipam.pools().map(\.name) == ["n1"])
        }
    }

    @Test func removedNetworksSubnetIsReusedAndOwnersAreIndependent() throws {
        try withIPAM { ipam in
            let first = try ipam.createPool(name: "n1")
            _ = try ipam.createPool(name: "n2")
            let one = try ipam.allocate(in: "n1", owner: "c1")
            let two = try ipam.allocate(in: "n2", owner: "c1")
            #expect(one.description == "172.18.0.2")
            #expect(two.description == "172.19.0.2")
            try ipam.release(one, in: "n1")
            try ipam.deletePool(name: "n1")
            #expect(try ipam.createPool(name: "n3").subnet == first.subnet)
            #expect(try ipam.pool(named: "n2")?.owner(of: two) == "c1")
        }
    }

    @Test func staticAddressOutsideTheSubnetIsRefused() throws {
        try withIPAM { ipam in
            _ = try ipam.createPool(name: "n1", subnet: try #require(IPNetwork("10.203.0.0/24")))
            #expect(throws: IPAMError.self) {
                try ipam.allocate(in: "n1", owner: "c1", requested: try #require(IPv4Address("10.9.9.9")))
            }
            #expect(try ipam.allocate(in: "n1", owner: "c1", requested: try #require(IPv4Address("10.203.0.50")))
                .description == "10.203.0.50")
        }
    }
}
