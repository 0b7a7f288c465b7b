import SpliceNet
import SystemKit
import Testing
@testable import SpliceCluster

@Suite("Cluster records and the etcd gateway's JSON")
struct ClusterRecordTests {
    static let endpoint = ClusterEndpoint(
        network: "n1", id: "e1", container: "c1", names: ["web", "c1short"],
        address: IPv4Address(10, 210, 0, 2), mac: MACAddress("02:42:0a:d2:00:02") ?? .broadcast, host: "h1")

    @Test func endpointEncodesAsSortedJSONWithAddressesAsText() throws {
        let bytes = try ClusterRecordCoding.encode(Self.endpoint)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"address":"10.210.0.2","container":"c1","host":"h1","#
            + #""id":"e1","mac":"02:42:0a:d2:00:02","names":["web","c1short"],"network":"n1"}"#)
        #expect(try ClusterRecordCoding.decode(ClusterEndpoint.self, from: bytes, key: "k") == Self.endpoint)
    }

    @Test func networkAndHostRoundTrip() throws {
        let network = ClusterNetwork(
            id: String(repeating: "a", count: 64), name: "ov", driver: "overlay",
            subnet: try #require(IPNetwork("10.210.0.0/24")), gateway: IPv4Address(10, 210, 0, 1), vni: 4097,
            metadata: NetworkMetadata(id: String(repeating: "a", count: 64), created: "2026-12-06T18:00:00Z",
                                      internal: true, labels: ["a": "b"]),
            createdBy: "h1")
        let bytes = try ClusterRecordCoding.encode(network)
        #expect(try ClusterRecordCoding.decode(ClusterNetwork.self, from: bytes, key: "k") == network)
        let host = ClusterHost(name: "h1", address: IPv4Address(192, 168, 50, 1), mtu: 1500)
        #expect(String(decoding: try ClusterRecordCoding.encode(host), as: UTF8.self)
            == #"{"address":"192.168.50.1","mtu":1500,"name":"h1"}"#)
    }

    @Test func aBadAddressInARecordIsAnErrorNamingTheKey() throws {
        let bytes = Array(#"{"address":"10.210.0.300","mtu":1500,"name":"h1"}"#.utf8)
        #expect {
            try ClusterRecordCoding.decode(ClusterHost.self, from: bytes, key: "/splice/v1/hosts/h1")
        } throws: { error in
            "\(error)".contains("/splice/v1/hosts/h1")
        }
    }

    @Test func createTransactionMatchesTheGatewaysShape() throws {
        let request = EtcdWire.transaction(.create("/a", value: Array("v".utf8), lease: 7))
        let json = String(decoding: try ClusterRecordCoding.encode(request), as: UTF8.self)
        #expect(json == #"{"compare":[{"create_revision":"0","key":"L2E=","result":"EQUAL","target":"CREATE"}],"#
            + #""failure":[{"request_range":{"key":"L2E="}}],"#
            + #""success":[{"request_put":{"key":"L2E=","lease":"7","value":"dg=="}}]}"#)
    }

    @Test func prefixEndIncrementsTheLastByte() {
        #expect(EtcdWire.prefixEnd("/splice/v1/") == EtcdWire.base64("/splice/v10"))
        #expect(EtcdWire.prefixEnd("a") == EtcdWire.base64("b"))
    }

    @Test func watchAnswersDecode() throws {
        // As etcd 3.4's gateway streamed them (one JSON object per line).
        let created = #"{"result":{"header":{"cluster_id":"1","member_id":"2","revision":"2","raft_term":"2"},"created":true}}"#
        #expect(try EtcdClient.watchBatch(decoding: Array(created.utf8)) == nil)
        let put = #"{"result":{"header":{"revision":"3"},"events":[{"kv":{"key":"Zm9v","create_revision":"2","#
            + #""mod_revision":"3","version":"2","value":"YmFy"}},{"type":"DELETE","kv":{"key":"Zm9v","mod_revision":"4"}}]}}"#
        let batch = try #require(try EtcdClient.watchBatch(decoding: Array(put.utf8)))
        #expect(batch.revision == 3)
        #expect(batch.events.map(\.kind) == [.put, .delete])
        #expect(batch.events[0].keyValue == EtcdKeyValue(key: "foo", value: Array("bar".utf8), createRevision: 2,
                                                          modRevision: 3))
        let compacted = #"{"result":{"header":{"revision":"9"},"canceled":true,"compact_revision":"5"}}"#
        #expect(throws: ClusterStoreError.self) { try EtcdClient.watchBatch(decoding: Array(compacted.utf8)) }
    }

    @Test func lineSplitterWaitsForWholeMessages() {
        var splitter = JSONLineSplitter()
        splitter.append(Array("{\"a\":1}\n{\"b\"".utf8))
        #expect(splitter.next() == Array("{\"a\":1}".utf8))
        #expect(splitter.next() == nil)
        splitter.append(Array(":2}\n".utf8))
        #expect(splitter.next() == Array("{\"b\":2}".utf8))
    }

    @Test(arguments: [
        ("etcd://10.0.0.1:2379", ["10.0.0.1:2379"]),
        ("etcd://a:2379,b:2380", ["a:2379", "b:2380"]),
        ("etcd://host", ["host:2379"]),
        ("etcd://[fd00::1]:2379/", ["[fd00::1]:2379"]),
    ])
    func storeURLs(text: String, members: [String]) throws {
        #expect(try EtcdEndpoints(parsing: text).members == members)
    }

    @Test(arguments: ["consul://a:8500", "etcd://", "etcd://a:x", "etcd://a:2379,", "etcd://u@a:1"])
    func badStoreURLsAreRefused(text: String) {
        #expect(throws: ClusterStoreError.self) { try EtcdEndpoints(parsing: text) }
    }
}
