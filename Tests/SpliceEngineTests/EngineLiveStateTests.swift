import Testing
@testable import SpliceEngine

/// The engine's in-memory state of each container (`ContainerLiveState`), without a network (no root needed).
@Suite("Engine live state without a network")
struct EngineLiveStateTests {
    @Test("removal answers the container's waiters and drops its live state")
    func removalDropsLiveState() async throws {
        let directory = try TemporaryDirectory("live")
        let engine = try await EngineStateTests.engine(graph: directory.path)
        try EngineStateTests.importImage(into: engine, at: directory.path)
        var options = ContainerCreateOptions(image: "bb")
        options.networkMode = "host"
        let record = try await engine.create(name: "held", options)
        let removed = try await engine.wait("held", condition: .removed)
        let exited = try await engine.wait("held", condition: .nextExit)
        let waiting = try #require(await engine.live[record.id])
        #expect(waiting.removalWaiters.count == 1 && waiting.exitWaiters.count == 1)

        try await engine.remove("held", force: false)
        #expect(await removed() == 0)
        #expect(await exited() == 0)
        #expect(await engine.live[record.id] == nil)
        #expect(await engine.live.isEmpty)
    }

    @Test("an entry left holding nothing is dropped")
    func emptyEntryIsDropped() async throws {
        let directory = try TemporaryDirectory("live-empty")
        let engine = try await EngineStateTests.engine(graph: directory.path)
        await engine.setBusy("some-id", true)
        #expect(await engine.isBusy("some-id"))
        await engine.setBusy("some-id", false)
        #expect(await engine.live.isEmpty)
    }
}
