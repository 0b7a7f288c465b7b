import Foundation
import SpliceNet
import SystemKit
import Testing
import TestSupport
@testable import SpliceCluster

/// Against a real etcd 3.4 started for each test on 127.0.0.1 with free ports and its own data directory.
@Suite("etcd client against a real etcd", .enabled(if: EtcdServer.binary != nil, "\(EtcdServer.missingReason)"),
       .serialized)
struct EtcdClientTests {
    @Test func putGetRangeDelete() async throws {
        let server = try EtcdServer(tag: "kv")
        let client = EtcdClient(endpoints: EtcdEndpoints(members: [server.member]))
        defer { Task { await client.close() } }
        try await client.put("/t/a", value: Array("1".utf8))
        try await client.put("/t/b", value: Array("2".utf8))
        try await client.put("/u", value: Array("3".utf8))
        let one = try #require(try await client.value(at: "/t/a"))
        #expect(one.value == Array("1".utf8))
        #expect(one.createRevision > 0)
        let range = try await client.values(under: "/t/")
        #expect(range.keyValues.map(\.key) == ["/t/a", "/t/b"])
        #expect(range.revision >= one.modRevision)
        #expect(try await client.delete("/t/", prefix: true) == 2)
        #expect(try await client.value(at: "/t/a") == nil)
        // Compare-and-swap: the second create of one key fails and reads its holder.
        let first = try await client.commit(.create("/lock", value: Array("h1".utf8)))
        let second = try await client.commit(.create("/lock", value: Array("h2".utf8)))
        #expect(first.succeeded)
        #expect(!second.succeeded)
        #expect(second.keyValues.map(\.value) == [Array("h1".utf8)])
    }

    @Test func twoClientsAllocatingAtOnceNeverShareAnAddress() async throws {
        let server = try EtcdServer(tag: "cas")
        let clients = (0..<3).map { _ in EtcdClient(endpoints: EtcdEndpoints(members: [server.member])) }
        defer { Task { for client in clients { await client.close() } } }
        let network = try AddressAllocationTests.network("10.210.0.0/26")
        let addresses = try await withThrowingTaskGroup(of: IPv4Address.self) { group in
            for index in 0..<30 {
                let allocator = ClusterAddressAllocator(store: clients[index % 3])
                group.addTask { try await allocator.allocate(in: network, host: "h\(index % 3)", owner: "e\(index)", lease: 0) }
            }
            return try await group.reduce(into: [IPv4Address]()) { $0.append($1) }
        }
        #expect(Set(addresses).count == 30)
        #expect(try await ClusterAddressAllocator(store: clients[0]).allocated(in: "net") == Set(addresses))
    }

    @Test func leasedKeysVanishWhenTheLeaseIsRevokedAndKeepAliveAnswersTheTTL() async throws {
        let server = try EtcdServer(tag: "lease")
        let client = EtcdClient(endpoints: EtcdEndpoints(members: [server.member]))
        defer { Task { await client.close() } }
        let store = ClusterStore(client: client, hostName: "h1")
        let lease = try await store.register(ClusterHost(name: "h1", address: IPv4Address(192, 168, 50, 1), mtu: 1500),
                                             ttl: 30)
        #expect(try await client.keepAlive(lease) == 30)
        #expect(try await store.snapshot().hosts.map(\.name) == ["h1"])
        try await client.revoke(lease)
        #expect(try await store.snapshot().hosts.isEmpty)
        #expect(try await client.keepAlive(lease) == 0)
    }

    @Test func aWatchSeesChangesFromItsRevision() async throws {
        let server = try EtcdServer(tag: "watch")
        let client = EtcdClient(endpoints: EtcdEndpoints(members: [server.member]))
        defer { Task { await client.close() } }
        let start = try await client.put("/w/before", value: [1])
        let stream = client.watch(prefix: "/w/", from: start + 1)
        try await client.put("/w/a", value: [2])
        try await client.delete("/w/before")
        var seen: [EtcdEvent] = []
        for try await batch in stream {
            seen += batch.events
            if seen.count >= 2 { break }
        }
        #expect(seen.map(\.kind) == [.put, .delete])
        #expect(seen.map(\.keyValue.key) == ["/w/a", "/w/before"])
    }

    @Test func aNetworkNameIsTakenOnceAcrossHosts() async throws {
        let server = try EtcdServer(tag: "names")
        let client = EtcdClient(endpoints: EtcdEndpoints(members: [server.member]))
        defer { Task { await client.close() } }
        let subnet = try #require(IPNetwork("10.210.0.0/24"))
        let results = await withTaskGroup(of: Result<ClusterNetwork, any Error>.self) { group in
            for host in ["h1", "h2"] {
                group.addTask {
                    let store = ClusterStore(client: client, hostName: host)
                    let id = String(repeating: host == "h1" ? "a" : "b", count: 64)
                    do {
                        return .success(try await store.createNetwork(
                            id: id, name: "ov", driver: "overlay", subnet: subnet, ipRange: nil,
                            gateway: IPv4Address(10, 210, 0, 1), metadata: NetworkMetadata(id: id, created: "")))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let created = results.compactMap { try? $0.get() }
        #expect(created.count == 1)
        let failure = try #require(results.compactMap { if case .failure(let e) = $0 { e } else { nil } }.first)
        #expect("\(failure)" == "network with name ov already exists")
        let store = ClusterStore(client: client, hostName: "h1")
        let other = try await store.createNetwork(
            id: String(repeating: "c", count: 64), name: "ov2", driver: "overlay", subnet: subnet, ipRange: nil,
            gateway: IPv4Address(10, 210, 0, 1), metadata: NetworkMetadata(id: "c", created: ""))
        #expect(other.vni == ClusterStore.firstVNI + 1)
        #expect(try await store.snapshot().networks.map(\.name).sorted() == ["ov", "ov2"])
        try await store.removeNetwork(other)
        #expect(try await store.snapshot().networks.map(\.name) == ["ov"])
    }

    @Test func anUnreachableStoreIsAClearError() async throws {
        let port = try EtcdServer.freePort()
        let client = EtcdClient(endpoints: EtcdEndpoints(members: ["127.0.0.1:\(port)"]))
        defer { Task { await client.close() } }
        await #expect {
            try await client.values(under: "/")
        } throws: { error in
            "\(error)".hasPrefix("cluster store etcd://127.0.0.1:\(port) is unreachable")
        }
    }

    @Test func theSecondMemberServesWhenTheFirstIsDown() async throws {
        let server = try EtcdServer(tag: "failover")
        let dead = try EtcdServer.freePort()
        let client = EtcdClient(endpoints: EtcdEndpoints(members: ["127.0.0.1:\(dead)", server.member]))
        defer { Task { await client.close() } }
        try await client.put("/f", value: [7])
        #expect(try await client.value(at: "/f")?.value == [7])
    }
}
