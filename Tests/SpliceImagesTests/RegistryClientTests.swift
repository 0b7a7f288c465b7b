import Foundation
import Glibc
import SpliceImages
import TestSupport
import Testing

/// The registry client against a real `docker-registry` on 127.0.0.1: a push and a pull between two stores keep
/// the manifest digest; a blob corrupted in the registry's storage fails the pull and leaves nothing behind.
@Suite("registry client against docker-registry", .serialized,
       .enabled(if: RegistryServer.isInstalled, "needs Debian's docker-registry (scripts/setup.sh installs it)"))
struct RegistryClientTests {
    /// Runs blocking work on a thread of its own, as the daemon's `BlockingWork` does (an extraction waits for
    /// its download, which needs the cooperative threads free).
    static let onThread: BlockingRunner = { work in
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    @Test func pushThenPullIntoAnotherStore() async throws {
        let registry = try RegistryServer()
        let client = RegistryClient()
        let source = try StoreFixture()
        _ = try source.store.importFile(source.tarPath, ImportOptions(reference: "\(registry.address)/app:1"))
        let pusher = ImagePusher(store: source.store, client: client)
        let events = EventLog()
        do {
            try await pusher.push(try pusher.references("\(registry.address)/app", tag: "1"), credentials: nil) {
                events.add($0)
            }
            let pushed = try #require(events.all.compactMap { event -> Digest? in
                if case .pushed(_, let digest, _) = event { return digest }
                return nil
            }.first)
            #expect(pushed == (try source.store.image(named: "\(registry.address)/app:1")).manifestDescriptor.digest)

            let target = try StoreFixture()
            let puller = ImagePuller(store: target.store, client: client, blocking: Self.onThread)
            let plan = try await puller.resolve(try ImageReference(parsing: "\(registry.address)/app:1"),
                                                credentials: nil)
            #expect(plan.top.digest == pushed)
            let outcome = try await puller.pull(plan) { _ in }
            let image = try target.store.image(named: "\(registry.address)/app:1")
            #expect(image.id == outcome.id)
            #expect(image.manifestDescriptor.digest == pushed)
            let directories = try target.store.lowerDirectories(for: "\(registry.address)/app:1")
            let hello = try String(contentsOfFile: try #require(directories.first) + "/bin/hello", encoding: .utf8)
            #expect(hello == "#!/bin/sh\necho hello\n")
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    @Test func corruptBlobFailsAndLeavesNothing() async throws {
        let registry = try RegistryServer()
        let client = RegistryClient()
        let source = try StoreFixture()
        _ = try source.store.importFile(source.tarPath, ImportOptions(reference: "\(registry.address)/bad:1"))
        let layer = try #require(try source.store.image(named: "\(registry.address)/bad:1").layers.first)
        let pusher = ImagePusher(store: source.store, client: client)
        let target = try StoreFixture()
        do {
            let references = try pusher.references("\(registry.address)/bad:1", tag: nil)
            try await pusher.push(references, credentials: nil) { _ in }
            let hex = layer.blob.digest.hex
            let data = "\(registry.directory)/storage/docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data"
            let handle = try #require(FileHandle(forUpdatingAtPath: data))
            try handle.seek(toOffset: 20)
            try handle.write(contentsOf: Data([0xff, 0xfe, 0xfd]))
            try handle.close()

            let puller = ImagePuller(store: target.store, client: client, blocking: Self.onThread)
            let plan = try await puller.resolve(try ImageReference(parsing: "\(registry.address)/bad:1"),
                                                credentials: nil)
            await #expect(throws: ImageError(.internal, "filesystem layer verification failed for digest "
                                                 + "\(layer.blob.digest)")) {
                _ = try await puller.pull(plan) { _ in }
            }
            #expect(try target.store.allImages().isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: target.store.root + "/ingest").isEmpty)
            // Only the per-layer lock file may stay (it is never half-written content).
            let layers = try FileManager.default.contentsOfDirectory(atPath: target.store.root + "/layers")
            #expect(layers.allSatisfy { $0.hasSuffix(".lock") }, "\(layers)")
            #expect(!target.store.blobs.contains(layer.blob.digest))
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    @Test func unansweredRegistryIsAClearError() async throws {
        let client = RegistryClient()
        let target = try StoreFixture()
        let puller = ImagePuller(store: target.store, client: client, blocking: Self.onThread)
        let port = try RegistryServer.unusedPort()
        do {
            _ = try await puller.resolve(try ImageReference(parsing: "127.0.0.1:\(port)/none:1"), credentials: nil)
            Issue.record("a pull from a closed port succeeded")
        } catch {
            #expect(error.message == "Get \"http://127.0.0.1:\(port)/v2/\": dial tcp 127.0.0.1:\(port): connect: "
                        + "connection refused", "\(error)")
        }
        await client.shutdown()
    }
}

/// Transfer events collected from a progress callback.
final class EventLog: @unchecked Sendable {
    // Guarded by `lock`.
    private var events: [TransferEvent] = []
    private let lock = NSLock()

    /// Adds one.
    func add(_ event: TransferEvent) { lock.withLock { events.append(event) } }

    /// All so far.
    var all: [TransferEvent] { lock.withLock { events } }
}
