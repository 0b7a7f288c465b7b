import Foundation
import TestSupport
import Testing
@testable import SpliceEngine
import struct EngineErrors.EngineError

/// The engine without a network (no root needed): create, names, lookup, persistence across reopen.
@Suite("Engine state without a network")
struct EngineStateTests {
    /// An engine on a temp graph with a tiny image `bb` imported from a tar of one file.
    static func engine(graph: String) async throws -> ContainerEngine {
        try await ContainerEngine(configuration: EngineConfiguration(graph: graph, initPath: "/nonexistent"),
                                  network: nil)
    }

    static func importImage(into engine: ContainerEngine, at graph: String) throws {
        let source = graph + "/src"
        try FileManager.default.createDirectory(atPath: source + "/bin", withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: source + "/bin/hello"))
        try run("/bin/tar", ["-C", source, "-cf", graph + "/image.tar", "."])
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: graph + "/image.tar"))
        defer { try? handle.close() }
        _ = try engine.images.importImage(from: handle.fileDescriptor,
                                          options: .init(reference: "bb", changes: ["CMD [\"/bin/sh\"]", "ENV A=1"]))
    }

    @Test func createNamesResolveAndPersist() async throws {
        let directory = try TemporaryDirectory("engine")
        let graph = directory.path
        let engine = try await Self.engine(graph: graph)
        try Self.importImage(into: engine, at: graph)

        var options = ContainerCreateOptions(image: "bb")
        options.env = ["B=2"]
        options.networkMode = "host"
        let web = try await engine.create(name: "web", options)
        #expect(web.name == "web")
        #expect(web.state.status == .created)
        #expect(web.configuration.argv == ["/bin/sh"])
        #expect(web.configuration.env.contains("A=1") && web.configuration.env.contains("B=2"))

        let generated = try await engine.create(name: nil, options)
        #expect(NameGenerator.isValid(generated.name))
        #expect(generated.name.contains("_"))

        await #expect(throws: EngineError.self) { try await engine.create(name: "/web", options) }
        await #expect(throws: EngineError.self) { try await engine.create(name: "w", options) }
        await #expect(throws: EngineError(.notFound, "No such image: nope")) {
            try await engine.create(name: nil, ContainerCreateOptions(image: "nope"))
        }
        var conflicting = options
        conflicting.autoRemove = true
        conflicting.restartPolicy = RestartPolicy(name: .always)
        let refusal = "can't create 'AutoRemove' container with restart policy"
        await #expect(throws: EngineError(.invalidArgument, refusal)) {
            try await engine.create(name: "rm-restart", conflicting)
        }

        #expect(try await engine.container("/web").id == web.id)
        #expect(try await engine.container(String(web.id.prefix(12))).id == web.id)
        #expect(await engine.containers(all: true).count == 2)
        #expect(await engine.containers(all: false).isEmpty)

        // A second engine on the same graph sees the same records.
        let reopened = try await Self.engine(graph: graph)
        let again = try await reopened.container("web")
        #expect(again == web)

        try await reopened.remove("web", force: false)
        await #expect(throws: EngineError.noSuchContainer("web")) { try await reopened.container("web") }
        #expect(!FileManager.default.fileExists(atPath: graph + "/containers/" + web.id))
        let third = try await Self.engine(graph: graph)
        #expect(await third.containers(all: true).map(\.id) == [generated.id])
    }

    @Test func waitOnACreatedContainerReturnsAtOnce() async throws {
        let directory = try TemporaryDirectory("wait")
        let engine = try await Self.engine(graph: directory.path)
        try Self.importImage(into: engine, at: directory.path)
        var options = ContainerCreateOptions(image: "bb")
        options.networkMode = "host"
        let record = try await engine.create(name: "w1", options)
        let result = try await engine.wait(record.id, condition: .notRunning)
        #expect(await result() == 0)
        await #expect(throws: EngineError.self) { try await engine.kill("w1", signal: 15) }
        #expect(try await engine.stop("w1", timeout: 1) == false)
    }
}
