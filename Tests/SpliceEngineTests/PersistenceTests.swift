import Foundation
import Testing
@testable import SpliceEngine

@Suite("State persistence")
struct PersistenceTests {
    func sampleRecord(name: String = "web") -> ContainerRecord {
        var request = ContainerCreateOptions(image: "bb")
        request.cmd = ["sleep", "60"]
        request.portBindings = ["8080:80/tcp"]
        request.autoRemove = true
        let configuration = ContainerConfiguration(request: request, imageID: "sha256:abc", entrypoint: [],
                                                   cmd: ["sleep", "60"], env: ["PATH=/bin"], workingDir: "/",
                                                   user: "root", hostname: "h")
        var record = ContainerRecord(id: ContainerID.random(), name: name, created: "2026-11-29T17:00:00Z",
                                     createdSeconds: 1_795_971_600, configuration: configuration)
        record.state.status = .running
        record.state.pid = 1234
        record.state.monitorPid = 1233
        record.endpoint = ContainerEndpoint(network: "splice0", bridge: "splice0", ipAddress: "172.18.0.2",
                                            prefixLength: 16, gateway: "172.18.0.1", macAddress: "02:42:ac:12:00:02",
                                            ports: [PublishedPort(hostIP: "", hostPort: 8080, containerPort: 80,
                                                                  proto: "tcp")])
        return record
    }

    @Test func recordsRoundTripAndRemove() throws {
        let directory = try TemporaryDirectory("store")
        let store = try ContainerRecordStore(directory: directory.path + "/containers")
        let first = sampleRecord(), second = sampleRecord(name: "db")
        try store.save(first)
        try store.save(second)
        var updated = first
        updated.state.status = .exited
        updated.state.exitCode = 3
        try store.save(updated)
        let loaded = store.loadAll().sorted { $0.name < $1.name }
        #expect(loaded == [second, updated].sorted { $0.name < $1.name })
        #expect(!FileManager.default.fileExists(atPath: store.path(of: first.id) + "/container.json.tmp-\(getpid())"))
        try store.remove(first.id)
        #expect(store.loadAll() == [second])
        try store.remove(first.id)
    }

    @Test("a discarded container leaves the store at once; its tree is deleted then, or when the store reopens")
    func discardRenamesAwayThenDeletes() throws {
        let directory = try TemporaryDirectory("discard")
        let store = try ContainerRecordStore(directory: directory.path + "/containers")
        let first = sampleRecord(), second = sampleRecord(name: "db")
        try store.save(first)
        try store.save(second)
        try FileManager.default.createDirectory(atPath: store.path(of: first.id) + "/run/rootfs",
                                                withIntermediateDirectories: true)
        let discarded = try #require(store.discard(first.id))
        #expect(!FileManager.default.fileExists(atPath: store.path(of: first.id)))
        #expect(FileManager.default.fileExists(atPath: discarded + "/run/rootfs"))
        #expect(store.loadAll() == [second])
        // A daemon stopped before the deletion: the next open deletes what is left.
        _ = try ContainerRecordStore(directory: directory.path + "/containers")
        #expect(!FileManager.default.fileExists(atPath: discarded))
        #expect(store.loadAll() == [second])
        let again = try #require(store.discard(second.id))
        ContainerRecordStore.remove(discarded: again)
        #expect(!FileManager.default.fileExists(atPath: again))
        #expect(store.discard(second.id) == nil)
    }

    @Test func unreadableEntriesAreSkipped() throws {
        let directory = try TemporaryDirectory("junk")
        let store = try ContainerRecordStore(directory: directory.path)
        try FileManager.default.createDirectory(atPath: directory.path + "/not-an-id", withIntermediateDirectories: true)
        let bogus = ContainerID.random()
        try FileManager.default.createDirectory(atPath: store.path(of: bogus), withIntermediateDirectories: true)
        try Data("{".utf8).write(to: URL(fileURLWithPath: store.path(of: bogus) + "/container.json"))
        #expect(store.loadAll().isEmpty)
    }

    @Test func logReaderReturnsOnlyCompleteNewLines() throws {
        let directory = try TemporaryDirectory("log")
        let path = directory.path + "/container.log"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        var reader = LogFileReader(path: path)
        handle.write(Data("{\"log\":\"one\\n\",\"stream\":\"stdout\",\"time\":\"t1\"}\n{\"log\":\"tw".utf8))
        #expect(reader.next() == [LogEntry(log: "one\n", stream: "stdout", time: "t1")])
        handle.write(Data("o\\n\",\"stream\":\"stderr\",\"time\":\"t2\"}\n".utf8))
        #expect(reader.next() == [LogEntry(log: "two\n", stream: "stderr", time: "t2")])
        #expect(reader.next().isEmpty)
        #expect(LogFileReader.readAll(path).count == 2)
        #expect(LogFileReader.readAll(directory.path + "/missing").isEmpty)
    }
}
