import Foundation
import Testing
@testable import SpliceAPI
import APITestSupport

@Suite("Volume, stats, rename, update, prune and df routes")
struct EngineCommandRoutesTests {
    static let headers = ServerTests.cliHeaders

    @Test("volumes: create 201, inspect 404 with dockerd's message, delete 204 with force, prune with filters")
    func volumes() async throws {
        try await ServerTests.withServer { server in
            let body = #"{"Driver":"local","Labels":{"x":"y"},"Name":"cap-v1"}"#
            let (created, createdBody) = try await server.exchange("POST /v1.41/volumes/create HTTP/1.1\r\n"
                + "\(Self.headers)Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            #expect(created.statusLine == "HTTP/1.1 201 Created")
            #expect(String(decoding: createdBody, as: UTF8.self) == #"{"CreatedAt":"2026-12-06T14:49:42Z","#
                + #""Driver":"local","Labels":{"x":"y"},"Mountpoint":"/var/lib/docker/volumes/cap-v1/_data","#
                + #""Name":"cap-v1","Options":null,"Scope":"local"}"# + "\n")
            let (missing, missingBody) = try await server.exchange("GET /v1.41/volumes/nope HTTP/1.1\r\n"
                + "\(Self.headers)\r\n")
            #expect(missing.statusLine == "HTTP/1.1 404 Not Found")
            #expect(try jsonObject(missingBody)["message"] as? String == "get nope: no such volume")
            let (removed, _) = try await server.exchange("DELETE /v1.41/volumes/cap-v1?force=1 HTTP/1.1\r\n"
                + "\(Self.headers)\r\n")
            #expect(removed.statusLine == "HTTP/1.1 204 No Content")
            let filters = #"{"label":{"x=y":true}}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let (pruned, prunedBody) = try await server.exchange("POST /v1.41/volumes/prune?filters=\(filters) "
                + "HTTP/1.1\r\n\(Self.headers)Content-Length: 0\r\n\r\n")
            #expect(pruned.statusLine == "HTTP/1.1 200 OK")
            #expect(String(decoding: prunedBody, as: UTF8.self) == "{\"SpaceReclaimed\":0,\"VolumesDeleted\":[\"cap-v2\"]}\n")
            #expect(server.engine.calls == ["createVolume(cap-v1, local, [\"x\": \"y\"])", "volume(nope)", "removeVolume(cap-v1, force: true)",
                                            "pruneVolumes([\"label\": [\"x=y\"]])"])
        }
    }

    @Test("stats: one JSON body with stream=0, JSON lines otherwise; 404 for an unknown container")
    func stats() async throws {
        try await ServerTests.withServer { server in
            let (single, singleBody) = try await server.exchange("GET /v1.41/containers/cap-c1/stats?stream=0 "
                + "HTTP/1.1\r\n\(Self.headers)\r\n")
            #expect(single.statusLine == "HTTP/1.1 200 OK")
            #expect(single.header("Content-Type") == "application/json")
            let frame = try jsonObject(singleBody)
            #expect(frame["name"] as? String == "/cap-c1")
            #expect(frame["read"] as? String == "2026-12-06T14:38:20.046416647Z")
            let (streamed, streamedBody) = try await server.exchange("GET /v1.41/containers/cap-c1/stats HTTP/1.1\r\n"
                + "\(Self.headers)\r\n")
            #expect(streamed.statusLine == "HTTP/1.1 200 OK")
            #expect(String(decoding: streamedBody, as: UTF8.self).hasSuffix("}\n"))
            let (missing, _) = try await server.exchange("GET /v1.41/containers/nope/stats?stream=0 HTTP/1.1\r\n"
                + "\(Self.headers)\r\n")
            #expect(missing.statusLine == "HTTP/1.1 404 Not Found")
            #expect(server.engine.calls == ["stats(cap-c1, stream: false, oneShot: false)",
                                            "stats(cap-c1, stream: true, oneShot: false)",
                                            "stats(nope, stream: false, oneShot: false)"])
        }
    }

    @Test("rename 204, update answers Warnings, container prune and system df answer JSON")
    func renameUpdatePruneDiskUsage() async throws {
        try await ServerTests.withServer { server in
            let (renamed, _) = try await server.exchange("POST /v1.41/containers/cap_main/rename?name=cap-c2 "
                + "HTTP/1.1\r\n\(Self.headers)Content-Length: 0\r\n\r\n")
            #expect(renamed.statusLine == "HTTP/1.1 204 No Content")
            let body = #"{"Memory":67108864,"MemorySwap":134217728,"RestartPolicy":{"Name":"","MaximumRetryCount":0}}"#
            let (updated, updatedBody) = try await server.exchange("POST /v1.41/containers/cap_main/update HTTP/1.1\r\n"
                + "\(Self.headers)Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            #expect(updated.statusLine == "HTTP/1.1 200 OK")
            #expect(String(decoding: updatedBody, as: UTF8.self) == "{}\n")
            let (pruned, prunedBody) = try await server.exchange("POST /v1.41/containers/prune HTTP/1.1\r\n"
                + "\(Self.headers)Content-Length: 0\r\n\r\n")
            #expect(pruned.statusLine == "HTTP/1.1 200 OK")
            #expect(String(decoding: prunedBody, as: UTF8.self)
                == "{\"ContainersDeleted\":[\"c496944b3e0948234733b14c89023b43b0fe938c775eb5883ea064ed4c2c320d\"],"
                + "\"SpaceReclaimed\":0}\n")
            let (usage, usageBody) = try await server.exchange("GET /v1.41/system/df HTTP/1.1\r\n\(Self.headers)\r\n")
            #expect(usage.statusLine == "HTTP/1.1 200 OK")
            #expect(try jsonObject(usageBody)["LayersSize"] as? Int == 201_984_172)
            #expect(server.engine.calls == ["rename(cap_main, cap-c2)", "update(cap_main, memory: 67108864, swap: 134217728, nanoCPUs: 0, restart: )",
                                            "pruneContainers([:])",
                                            "diskUsage"])
        }
    }
}
