import Glibc
import SpliceAPI
import SpliceEngine
import SpliceImages

extension SpliceDockerEngine {
    /// `GET /images/get?names=…` and `GET /images/{name}/get`: the docker-archive + OCI layout tar, streamed. Names
    /// are resolved first, so a missing image is a 404 before any byte.
    public func saveImages(_ names: [String]) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        let store = engine.images
        for name in names { _ = try await imageCall { try store.resolve(name) } }
        return try Self.tarStream { fd throws(ImageError) in try store.save(names, to: fd) }
    }

    /// `POST /images/load`: the body is spooled, unpacked with the archive refusals and stored; answers one
    /// `{"stream":"Loaded image: NAME\n"}` line per image, as dockerd.
    public func loadImages(quiet: Bool, body: AsyncStream<[UInt8]>) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        let spool = try await spoolBody(body, what: "load")
        let store = engine.images
        let scratch = engine.configuration.graph + "/tmp"
        let loaded = try await imageCall { () throws -> [ImageStore.Loaded] in
            defer { close(spool) }
            return try store.load(from: spool, scratch: scratch)
        }
        let (stream, continuation) = AsyncThrowingStream<ProgressMessage, any Error>.makeStream()
        for item in loaded { continuation.yield(ProgressMessage(stream: item.message + "\n")) }
        continuation.finish()
        return stream
    }
}

extension SpliceDockerEngine {
    /// `POST /images/prune`: `dangling=true` (the CLI's default) prunes untagged images, `dangling=false` (`-a`)
    /// every image no container uses.
    public func pruneImages(filters: [String: [String]]) async throws -> ImagePruneResponse {
        var all = false
        for (name, values) in filters {
            guard name == "dangling" else { throw EngineError(.invalidArgument, "invalid filter '\(name)'") }
            for value in values {
                switch value.lowercased() {
                case "true", "1": all = false
                case "false", "0": all = true
                default: throw EngineError(.invalidArgument, "invalid filter 'dangling=\(value)'")
                }
            }
        }
        let store = engine.images, pruneAll = all
        let used = Set(await engine.containers(all: true).map(\.configuration.imageID))
        let (events, reclaimed) = try await imageCall {
            try store.prune(all: pruneAll) { used.contains($0.description) }
        }
        let items = events.map { event in
            switch event {
            case .untagged(let reference): ImageDeleteResponseItem(Untagged: reference)
            case .deleted(let id): ImageDeleteResponseItem(Deleted: id)
            }
        }
        await engine.recordPrune(type: "image", reclaimed: UInt64(max(reclaimed, 0)))
        return ImagePruneResponse(ImagesDeleted: items.isEmpty ? nil : items, SpaceReclaimed: UInt64(max(reclaimed, 0)))
    }
}
