import Foundation
import Testing
@testable import SpliceEngine
import struct EngineErrors.EngineError

/// The volumes API and rename on an engine without a network (no root needed).
@Suite("Engine volume commands and rename")
struct EngineVolumeCommandTests {
    @Test func createListRemoveAndPrune() async throws {
        let directory = try TemporaryDirectory("volcmd")
        let graph = directory.path
        let engine = try await EngineStateTests.engine(graph: graph)
        try EngineStateTests.importImage(into: engine, at: graph)

        let labelled = try await engine.createVolume(name: "v1", driver: "local",
                                                     metadata: VolumeMetadata(labels: ["x": "y"]))
        #expect(labelled.mountpoint == graph + "/volumes/v1/_data")
        #expect(labelled.metadata.labels == ["x": "y"] && labelled.users.isEmpty)
        let again = try await engine.createVolume(name: "v1", driver: nil, metadata: VolumeMetadata())
        #expect(again.metadata.labels == ["x": "y"], "an existing volume is returned as it is")
        let anonymous = try await engine.createVolume(name: nil, driver: nil, metadata: VolumeMetadata())
        #expect(anonymous.name.count == 64)

        await #expect(throws: EngineError(.notFound, "create v9: error looking up volume plugin nfs: plugin \"nfs\" "
            + "not found")) { try await engine.createVolume(name: "v9", driver: "nfs", metadata: VolumeMetadata()) }
        await #expect(throws: EngineError(.invalidArgument, "create v9: missing required option: \"type\"")) {
            try await engine.createVolume(name: "v9", driver: nil, metadata: VolumeMetadata(options: ["device": "x"]))
        }
        #expect(!FileManager.default.fileExists(atPath: graph + "/volumes/v9"), "nothing left by a refused create")

        var options = ContainerCreateOptions(image: "bb")
        options.networkMode = "host"
        options.binds = ["v1:/data"]
        let user = try await engine.create(name: "user", options)
        #expect(try await engine.volume("v1").users == [user.id])
        await #expect(throws: EngineError(.conflict, "remove v1: volume is in use - [\(user.id)]")) {
            try await engine.removeVolume("v1", force: true)
        }
        await #expect(throws: EngineError(.notFound, "get nope: no such volume")) {
            try await engine.removeVolume("nope", force: false)
        }
        try await engine.removeVolume("nope", force: true)

        let names = try await engine.volumes().map(\.name)
        #expect(Set(names) == ["v1", anonymous.name])
        let pruned = try await engine.pruneVolumes(names)
        #expect(pruned.names == [anonymous.name], "the volume in use stays")
        try await engine.remove(user.id, force: true)
        try await engine.removeVolume("v1", force: false)
        #expect(try await engine.volumes().isEmpty)
    }

    @Test func renameChecksAndRecordsTheName() async throws {
        let directory = try TemporaryDirectory("rename")
        let graph = directory.path
        let engine = try await EngineStateTests.engine(graph: graph)
        try EngineStateTests.importImage(into: engine, at: graph)
        var options = ContainerCreateOptions(image: "bb")
        options.networkMode = "host"
        let first = try await engine.create(name: "first", options)
        let second = try await engine.create(name: "second", options)
        try await engine.rename("first", to: "/renamed")
        #expect(try await engine.container("renamed").id == first.id)
        await #expect(throws: EngineError.noSuchContainer("first")) { try await engine.container("first") }
        await #expect(throws: EngineError(.conflict, "Conflict. The container name \"/second\" is already in use by "
            + "container \"\(second.id)\". You have to remove (or rename) that container to be able to reuse that "
            + "name.")) { try await engine.rename("renamed", to: "second") }
        await #expect(throws: EngineError(.invalidArgument, "Renaming a container with the same name as its current "
            + "name")) { try await engine.rename("renamed", to: "renamed") }
        await #expect(throws: EngineError(.invalidArgument, "Invalid container name (a b), only "
            + "[a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")) { try await engine.rename("renamed", to: "a b") }
        let reopened = try await EngineStateTests.engine(graph: graph)
        #expect(try await reopened.container(first.id).name == "renamed", "the new name is persisted")
    }

    @Test func mountOptionsSplitFlagsFromData() {
        let (flags, data) = VolumeStore.parseMountOptions("size=1m,noexec,uid=1000,ro")
        #expect(flags == UInt(MS_NOEXEC) | UInt(MS_RDONLY))
        #expect(data == "size=1m,uid=1000")
    }
}
