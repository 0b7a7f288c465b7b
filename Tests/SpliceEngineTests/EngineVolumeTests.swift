import Foundation
import Testing
@testable import SpliceEngine
import struct EngineErrors.EngineError

/// Volumes and links resolved at create time by an engine without a network (no root needed).
@Suite("Engine volumes and links at create time")
struct EngineVolumeTests {
    @Test func namedAnonymousAndVolumesFrom() async throws {
        let directory = try TemporaryDirectory("volumes")
        let graph = directory.path
        let engine = try await EngineStateTests.engine(graph: graph)
        try EngineStateTests.importImage(into: engine, at: graph)

        var options = ContainerCreateOptions(image: "bb")
        options.networkMode = "host"
        options.binds = ["shared:/bin", "/tmp:/hosttmp:ro"]
        options.volumes = ["/cache"]
        let first = try await engine.create(name: "first", options)
        let mounts = first.configuration.mounts
        #expect(mounts.map(\.destination) == ["/bin", "/hosttmp", "/cache"])
        #expect(mounts[0] == VolumeMount(kind: .volume, name: "shared", source: graph + "/volumes/shared/_data",
                                         destination: "/bin"))
        #expect(mounts[1] == VolumeMount(kind: .bind, source: "/tmp", destination: "/hosttmp", readOnly: true,
                                         mode: "ro"))
        let anonymous = try #require(mounts[2].name)
        #expect(mounts[2].anonymous && anonymous.count == 64)
        // A new volume gets the image's content at its path.
        #expect(try String(contentsOfFile: graph + "/volumes/shared/_data/hello", encoding: .utf8) == "hello\n")
        #expect(FileManager.default.fileExists(atPath: graph + "/volumes/\(anonymous)/_data"))

        var second = ContainerCreateOptions(image: "bb")
        second.networkMode = "host"
        second.volumesFrom = ["first:ro"]
        let follower = try await engine.create(name: "second", second)
        #expect(follower.configuration.mounts.map(\.destination) == ["/bin", "/hosttmp", "/cache"])
        #expect(follower.configuration.mounts.allSatisfy { $0.readOnly && !$0.anonymous })

        var duplicate = ContainerCreateOptions(image: "bb")
        duplicate.networkMode = "host"
        duplicate.binds = ["a1:/x", "/tmp:/x"]
        await #expect(throws: EngineError(.invalidArgument, "Duplicate mount point: /x")) {
            try await engine.create(name: nil, duplicate)
        }
        var missing = ContainerCreateOptions(image: "bb")
        missing.volumesFrom = ["nosuch"]
        await #expect(throws: EngineError.noSuchContainer("nosuch")) { try await engine.create(name: nil, missing) }

        // rm -v: the anonymous volume goes once nobody uses it; the named one stays.
        try await engine.remove("first", force: false)
        await engine.removeVolumes(of: first)
        #expect(FileManager.default.fileExists(atPath: graph + "/volumes/\(anonymous)/_data"))  // second uses it
        try await engine.remove("second", force: false)
        await engine.removeVolumes(of: first)
        #expect(!FileManager.default.fileExists(atPath: graph + "/volumes/\(anonymous)"))
        #expect(FileManager.default.fileExists(atPath: graph + "/volumes/shared/_data/hello"))
    }

    @Test func linksNeedAnExistingContainerAndCanBeRemoved() async throws {
        let directory = try TemporaryDirectory("links")
        let graph = directory.path
        let engine = try await EngineStateTests.engine(graph: graph)
        try EngineStateTests.importImage(into: engine, at: graph)
        var options = ContainerCreateOptions(image: "bb")
        options.networkMode = "none"
        options.links = ["db:database"]
        await #expect(throws: EngineError(.invalidArgument, "could not get container for db: No such container: db")) {
            try await engine.create(name: "web", options)
        }
        var db = ContainerCreateOptions(image: "bb")
        db.networkMode = "none"
        let target = try await engine.create(name: "db", db)
        let web = try await engine.create(name: "web", options)
        #expect(web.configuration.links == [ContainerLink(targetID: target.id, targetName: "db", alias: "database")])
        await #expect(throws: EngineError(.invalidArgument, "Cannot link to a non running container: /db AS"
                                              + " /web/database")) {
            _ = try await engine.linkSettings(for: web)
        }
        await #expect(throws: EngineError(.notFound, "Could not find entity for /web/nope")) {
            try await engine.removeLink("/web/nope")
        }
        try await engine.removeLink("/web/database")
        #expect(try await engine.container("web").configuration.links.isEmpty)
        // Persisted: a reopened engine sees the link gone.
        #expect(try await EngineStateTests.engine(graph: graph).container("web").configuration.links.isEmpty)
    }
}
