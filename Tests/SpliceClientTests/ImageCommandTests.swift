import Foundation
import Testing
@testable import SpliceClient
import APITestSupport

@Suite("splice tag, rmi, import and the pull of run in-process")
struct ImageCommandTests {
    @Test func tagAndRmi() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let tag = try await server.splice(["tag", "bb:latest", "127.0.0.1:5000/bb"])
        #expect(tag.status == 0 && tag.stdout.isEmpty)
        #expect(server.engine.calls.contains("tag(bb:latest, repo: 127.0.0.1:5000/bb, tag: latest)"))
        let rmi = try await server.splice(["rmi", "cap-tagged:t1"])
        #expect(rmi.stdout == "Untagged: cap-tagged:t1\n")
    }

    @Test func importStreamsTheFile() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let file = server.directory + "/rootfs.tar"
        try Data(repeating: 7, count: 200_000).write(to: URL(fileURLWithPath: file))
        let result = try await server.splice(["import", "-c", "CMD [\"/bin/sh\"]", "-m", "imported msg", file, "cap-imported:v1"])
        #expect(result.status == 0)
        #expect(result.stdout == "sha256:89f60340e905dc5aa3322f1c0a3bdc04aef90e8e907cb52aa030ef01daa52a2b\n")
        #expect(server.engine.calls.contains { $0.hasPrefix("import(repo: cap-imported:v1, bytes: 200000") })
        let missing = try await server.splice(["import", server.directory + "/nope.tar"])
        #expect(missing.status == 1)
    }

    @Test func runPullsAMissingImage() async throws {
        let server = try await TestServer.start()
        defer { Task { try? await server.stop() } }
        let result = try await server.splice(["run", "-d", "pullme:v1", "true"])
        #expect(result.stderr.hasPrefix("Unable to find image 'pullme:v1' locally\nv1: Pulling from bb\n"))
        #expect(result.stdout == FakeEngine.mainID + "\n")
        #expect(result.status == 0)
        let missingTag = try await server.splice(["run", "pullme:nope"])
        #expect(missingTag.status == 125)
        #expect(missingTag.stderr.contains("splice: Error response from daemon: manifest for pullme:nope not found"))
    }
}
