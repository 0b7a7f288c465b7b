import SpliceNet
import SystemKit
import Testing
@testable import SpliceCluster

@Suite("Address allocation by compare-and-swap")
struct AddressAllocationTests {
    static func network(_ subnet: String = "10.210.0.0/29") throws -> ClusterNetwork {
        ClusterNetwork(id: "net", name: "ov", driver: "overlay", subnet: try #require(IPNetwork(subnet)),
                       gateway: IPv4Address(10, 210, 0, 1), vni: 4097,
                       metadata: NetworkMetadata(id: "net", created: ""), createdBy: "h1")
    }

    @Test func hostsTakeTheLowestFreeAddressesInTurn() async throws {
        let store = InMemoryKeyValueStore()
        let allocator = ClusterAddressAllocator(store: store)
        let network = try Self.network()
        let first = try await allocator.allocate(in: network, host: "h1", owner: "e1", lease: 0)
        let second = try await allocator.allocate(in: network, host: "h2", owner: "e2", lease: 0)
        #expect(first == IPv4Address(10, 210, 0, 2))
        #expect(second == IPv4Address(10, 210, 0, 3))
    }

    @Test func aLostRaceMovesOnToTheNextAddress() async throws {
        // Another host creates 10.210.0.2 between this host's read and its transaction.
        let network = try Self.network()
        let rival = AddressAllocation(network: "net", address: IPv4Address(10, 210, 0, 2), host: "h2", owner: "e9")
        let rivalBytes = try ClusterRecordCoding.encode(rival)
        let store = InMemoryKeyValueStore { number, _, store in
            if number == 0 { store.write(ClusterKeys.address(rival.address, of: "net"), rivalBytes) }
        }
        let got = try await ClusterAddressAllocator(store: store).allocate(in: network, host: "h1", owner: "e1",
                                                                           lease: 0)
        #expect(got == IPv4Address(10, 210, 0, 3))
        #expect(store.commitCount == 2)
        let holder = try #require(try await store.value(at: ClusterKeys.address(rival.address, of: "net")))
        #expect(try ClusterRecordCoding.decode(AddressAllocation.self, from: holder.value, key: "") == rival)
    }

    @Test func concurrentAllocatorsNeverShareAnAddress() async throws {
        let store = InMemoryKeyValueStore()
        let network = try Self.network("10.210.0.0/26")
        let allocator = ClusterAddressAllocator(store: store)
        let addresses = try await withThrowingTaskGroup(of: IPv4Address.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await allocator.allocate(in: network, host: "h\(index % 3)", owner: "e\(index)", lease: 0)
                }
            }
            return try await group.reduce(into: [IPv4Address]()) { $0.append($1) }
        }
        #expect(Set(addresses).count == 40)
        #expect(!addresses.contains(IPv4Address(10, 210, 0, 1)))
    }

    @Test func aRequestedAddressHeldElsewhereNamesItsHolder() async throws {
        let store = InMemoryKeyValueStore()
        let allocator = ClusterAddressAllocator(store: store)
        let network = try Self.network()
        let wanted = IPv4Address(10, 210, 0, 5)
        _ = try await allocator.allocate(in: network, host: "h2", owner: "e2", lease: 0, requested: wanted)
        await #expect(throws: ClusterAddressAllocator.Failure.inUse(wanted, host: "h2", owner: "e2")) {
            try await allocator.allocate(in: network, host: "h1", owner: "e1", lease: 0, requested: wanted)
        }
        await #expect(throws: ClusterAddressAllocator.Failure.notAssignable(IPv4Address(10, 210, 0, 1))) {
            try await allocator.allocate(in: network, host: "h1", owner: "e1", lease: 0,
                                         requested: IPv4Address(10, 210, 0, 1))
        }
    }

    @Test func aFullRangeIsExhaustedAndAReleaseFreesAnAddress() async throws {
        let store = InMemoryKeyValueStore()
        let allocator = ClusterAddressAllocator(store: store)
        let network = try Self.network()  // /29: .2 to .6 assignable
        var got: [IPv4Address] = []
        for index in 0..<5 { got.append(try await allocator.allocate(in: network, host: "h1", owner: "e\(index)", lease: 0)) }
        await #expect(throws: ClusterAddressAllocator.Failure.exhausted(network: "ov")) {
            try await allocator.allocate(in: network, host: "h1", owner: "e9", lease: 0)
        }
        try await allocator.release(got[1], in: "net", owner: "someone-else")  // not the holder: kept
        try await allocator.release(got[1], in: "net", owner: "e1")
        #expect(try await allocator.allocate(in: network, host: "h1", owner: "e9", lease: 0) == got[1])
    }

    @Test func aRaceThatNeverEndsIsReportedAsContention() async throws {
        // Every transaction loses: some other host always takes the candidate first.
        let network = try Self.network("10.210.0.0/24")
        let store = InMemoryKeyValueStore { _, transaction, store in
            if let key = transaction.comparisons.first?.key { store.write(key, Array("{}".utf8)) }
        }
        var allocator = ClusterAddressAllocator(store: store)
        allocator.maximumAttempts = 5
        await #expect(throws: ClusterStoreError.self) {
            try await allocator.allocate(in: network, host: "h1", owner: "e1", lease: 0)
        }
        #expect(store.commitCount == 5)
    }
}
