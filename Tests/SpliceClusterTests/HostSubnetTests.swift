import SpliceNet
import SystemKit
import Testing
@testable import SpliceCluster

@Suite("Routed networks: host subnets leased by compare-and-swap")
struct HostSubnetTests {
    static func network(_ subnet: String = "10.220.0.0/16") throws -> ClusterNetwork {
        ClusterNetwork(id: "rt", name: "rt", driver: "routed", subnet: try #require(IPNetwork(subnet)),
                       gateway: IPv4Address(10, 220, 0, 1), vni: 4097,
                       metadata: NetworkMetadata(id: "rt", created: ""), createdBy: "h1")
    }

    static func subnet(_ text: String) throws -> IPNetwork { try #require(IPNetwork(text)) }

    @Test func aNetworkIsCutIntoHostSizedSubnets() throws {
        let picker = try HostSubnetPicker(network: try Self.subnet("10.220.0.0/16"))
        #expect(picker.count == 256)
        #expect(picker.subnet(0) == (try Self.subnet("10.220.0.0/24")))
        #expect(picker.subnet(255) == (try Self.subnet("10.220.255.0/24")))
        #expect(picker.subnet(256) == nil)
        let taken: Set = [try Self.subnet("10.220.0.0/24"), try Self.subnet("10.220.2.0/24")]
        #expect(picker.pick(excluding: taken) == (try Self.subnet("10.220.1.0/24")))
        #expect(picker.pick(excluding: taken, preferred: try Self.subnet("10.220.7.0/24"))
            == (try Self.subnet("10.220.7.0/24")), "the previous subnet when free")
        #expect(picker.pick(excluding: taken, preferred: try Self.subnet("10.220.2.0/24"))
            == (try Self.subnet("10.220.1.0/24")), "not when taken")
        #expect(picker.pick(excluding: taken, preferred: try Self.subnet("10.221.7.0/24"))
            == (try Self.subnet("10.220.1.0/24")), "not when outside the network")
        let small = try HostSubnetPicker(network: try Self.subnet("10.220.0.0/25"), hostPrefix: 26)
        #expect(small.pick(excluding: [try Self.subnet("10.220.0.0/26"), try Self.subnet("10.220.0.64/26")]) == nil)
    }

    @Test func aSubnetTooSmallForTheHostSizeIsRefused() throws {
        #expect(throws: HostSubnetPicker.Failure.tooSmall(network: try Self.subnet("10.220.0.0/24"), hostPrefix: 24)) {
            try HostSubnetPicker(network: try Self.subnet("10.220.0.0/24"))
        }
        #expect(throws: HostSubnetPicker.Failure.self) {
            try HostSubnetPicker(network: try Self.subnet("10.220.0.0/16"), hostPrefix: 31)
        }
        let failure = HostSubnetPicker.Failure.tooSmall(network: try Self.subnet("10.220.0.0/25"), hostPrefix: 24)
        #expect(failure.description.contains("10.220.0.0/25 is too small for per-host subnets of /24"))
    }

    @Test func hostsLeaseDistinctSubnetsAndKeepTheirsAcrossLeases() async throws {
        let store = InMemoryKeyValueStore()
        let leaser = HostSubnetLeaser(store: store)
        let network = try Self.network()
        let picker = try HostSubnetPicker(network: network.subnet)
        let first = try await leaser.lease(in: network, picker: picker, host: "h1", lease: 11)
        let second = try await leaser.lease(in: network, picker: picker, host: "h2", lease: 22)
        #expect(first == (try Self.subnet("10.220.0.0/24")))
        #expect(second == (try Self.subnet("10.220.1.0/24")))
        // Asked again under a new lease (a restarted daemon): the same subnet, moved to the new lease.
        let again = try await leaser.lease(in: network, picker: picker, host: "h1", lease: 33)
        #expect(again == first)
        let entry = try #require(try await store.value(at: ClusterKeys.hostSubnet(first, of: "rt")))
        #expect(entry.lease == 33)
        // Released (as an expired lease removes it), a host asking with its previous subnet gets it back.
        try await leaser.release(second, of: "rt", host: "h2")
        let back = try await leaser.lease(in: network, picker: picker, host: "h2", lease: 44, preferred: second)
        #expect(back == second)
        // Releasing another host's subnet leaves it alone.
        try await leaser.release(second, of: "rt", host: "h1")
        #expect(try await store.value(at: ClusterKeys.hostSubnet(second, of: "rt")) != nil)
    }

    @Test func aLostRaceMovesOnToTheNextSubnet() async throws {
        let network = try Self.network()
        let rival = HostSubnet(network: "rt", subnet: try Self.subnet("10.220.0.0/24"), host: "h2")
        let rivalBytes = try ClusterRecordCoding.encode(rival)
        let store = InMemoryKeyValueStore { number, _, store in
            if number == 0 { store.write(ClusterKeys.hostSubnet(rival.subnet, of: "rt"), rivalBytes) }
        }
        let got = try await HostSubnetLeaser(store: store).lease(in: network, picker: try HostSubnetPicker(
            network: network.subnet), host: "h1", lease: 1)
        #expect(got == (try Self.subnet("10.220.1.0/24")))
        #expect(store.commitCount == 2)
    }

    @Test func concurrentHostsNeverShareASubnetAndAFullNetworkSaysSo() async throws {
        let store = InMemoryKeyValueStore()
        let network = try Self.network("10.220.0.0/21")
        let picker = try HostSubnetPicker(network: network.subnet)
        let leaser = HostSubnetLeaser(store: store)
        let subnets = try await withThrowingTaskGroup(of: IPNetwork.self) { group in
            for index in 0..<8 {
                group.addTask { try await leaser.lease(in: network, picker: picker, host: "h\(index)", lease: 1) }
            }
            return try await group.reduce(into: [IPNetwork]()) { $0.append($1) }
        }
        #expect(Set(subnets).count == 8)
        await #expect(throws: HostSubnetLeaser.Failure.exhausted(network: "rt", hosts: 8)) {
            try await leaser.lease(in: network, picker: picker, host: "h9", lease: 1)
        }
    }
}
