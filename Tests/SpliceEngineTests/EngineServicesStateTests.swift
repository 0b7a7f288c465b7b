import Foundation
import TestSupport
import Testing
@testable import SpliceEngine
import struct EngineErrors.EngineError

/// The services' refusals and events on containers that do not run (no root needed).
@Suite("Engine services on stopped containers")
struct EngineServicesStateTests {
    @Test func servicesRefuseContainersThatDoNotRun() async throws {
        let directory = try TemporaryDirectory("services")
        let engine = try await EngineStateTests.engine(graph: directory.path)
        try EngineStateTests.importImage(into: engine, at: directory.path)
        var options = ContainerCreateOptions(image: "bb")
        options.networkMode = "host"
        let record = try await engine.create(name: "idle", options)
        await engine.recordCreated(record.id)
        let id = record.id

        await #expect(throws: EngineError(.conflict, "container \(id) is not running")) {
            _ = try await engine.createExec("idle", ExecRecord(id: "", containerID: "", command: ["true"]))
        }
        await #expect(throws: EngineError(.conflict, "Container \(id) is not running")) {
            try await engine.pause("idle")
        }
        await #expect(throws: EngineError(.conflict, "Container \(id) is not paused")) {
            try await engine.unpause("idle")
        }
        await #expect(throws: EngineError(.conflict, "Container \(id) is not running")) {
            _ = try await engine.top("idle", psArgs: nil)
        }
        await #expect(throws: EngineError.noSuchExec("nope")) { _ = try await engine.exec("nope") }
        await #expect(throws: EngineError.self) {
            var request = AttachRequest()
            request.detachKeys = "ctrl-"
            _ = try await engine.attach("idle", request, stdin: nil)
        }

        // logs without follow end at once, even for a container that never ran.
        var query = LogQuery()
        query.follow = true
        var count = 0
        for try await _ in try await engine.logs("idle", query) { count += 1 }
        #expect(count == 0)

        try await engine.remove("idle", force: false)
        let actions = engine.events.replay(since: nil, until: nil, filter: EventFilter(["container": ["idle"]]))
            .map(\.Action)
        #expect(actions == ["create", "destroy"])
        #expect(await engine.statusCounts().isEmpty)
    }
}
