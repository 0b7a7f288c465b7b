import Glibc
import SpliceAPI
import SpliceEngine
import SpliceImages
import Synchronization
import struct EngineErrors.EngineError

extension SpliceDockerEngine {
    /// `GET /images/get?names=…` and `GET /images/{name}/get`: the docker-archive + OCI layout tar, streamed. Names
    /// are resolved first, so a missing image is a 404 before any byte.
    public func saveImages(_ names: [String]) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        let store = engine.images
        for name in names { _ = try await imageCall { try store.resolve(name) } }
        return try Self.tarStream { fd throws(ImageError) in try store.save(names, to: fd) }
    }

    /// `POST /images/load`: the body is spooled, unpacked with the archive refusals and stored; answers one
    /// `{"stream":"Loaded image: NAME\n"}` line per image, as dockerd, after a `Loading layer` progress line per
    /// layer unless `quiet` (the docker CLI asks for them on a terminal only).
    public func loadImages(quiet: Bool, body: RequestBody) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        let spool = try await spoolBody(body, what: "load")
        let store = engine.images
        let scratch = engine.configuration.graph + "/tmp"
        let layers = Mutex<[(Digest, Int64)]>([])
        let loaded = try await imageCall { () throws -> [ImageStore.Loaded] in
            defer { close(spool) }
            return try store.load(from: spool, scratch: scratch) { digest, size in
                layers.withLock { $0.append((digest, size)) }
            }
        }
        let (stream, continuation) = AsyncThrowingStream<ProgressMessage, any Error>.makeStream()
        if !quiet {
            for (digest, size) in layers.withLock({ $0 }) {
                var message = ProgressMessage(status: "Loading layer", id: digest.shortID)
                message.progressDetail = ProgressMessage.Detail(current: size, total: size)
                let amount = Self.humanSize(size)
                message.progress = "[" + String(repeating: "=", count: 50) + ">]  " + amount + "/" + amount
                continuation.yield(message)
            }
        }
        for item in loaded { continuation.yield(ProgressMessage(stream: item.message + "\n")) }
        continuation.finish()
        return stream
    }
}

extension SpliceDockerEngine {
    /// `POST /build/prune`: the build cache records whose image is gone, or all of them with `all`.
    public func pruneBuildCache(all: Bool) async throws -> BuildCachePruneResponse {
        let store = engine.images
        let deleted = try await imageCall { try store.pruneBuildCache(all: all) }
        return BuildCachePruneResponse(CachesDeleted: deleted.isEmpty ? nil : deleted, SpaceReclaimed: 0)
    }

    /// `POST /images/prune`: `dangling=true` (the CLI's default) prunes untagged images, `dangling=false` (`-a`)
    /// every image no container uses; `until` (created before) and `label`/`label!` narrow it, as in dockerd.
    public func pruneImages(filters: [String: [String]]) async throws -> ImagePruneResponse {
        var all = false
        for key in filters.keys.sorted() where !["dangling", "until", "label", "label!"].contains(key) {
            throw EngineError(.invalidArgument, "invalid filter '\(key)'")
        }
        let now = Int64(time(nil))
        let until = try (filters["until"] ?? []).map { text throws(EngineError) in
            try APITime.untilSeconds(text, now: now)
        }.min()
        let labels = filters["label"] ?? [], unwanted = filters["label!"] ?? []
        let eligible: @Sendable (Image) -> Bool = { image in
            let imageLabels = image.configuration.config?.labels ?? [:]
            return until.map { image.created.seconds < $0 } ?? true && LabelFilter.matches(imageLabels, labels)
                && !unwanted.contains { LabelFilter.matches(imageLabels, $0) }
        }
        for (name, values) in filters where name == "dangling" {
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
            try store.prune(all: pruneAll, eligible: eligible) { used.contains($0.description) }
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

extension SpliceDockerEngine {
    /// Docker's `units.HumanSize`: four significant digits and decimal units (`2.125MB`).
    static func humanSize(_ bytes: Int64) -> String {
        var value = Double(bytes)
        var unit = 0
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        let decimals = max(0, 4 - String(Int(value)).count)
        let factor = (0..<decimals).reduce(1) { value, _ in value * 10 }
        let scaled = Int((value * Double(factor)).rounded())
        var fraction = String(scaled % factor)
        fraction = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return String(scaled / factor) + (fraction.isEmpty ? "" : "." + fraction) + units[unit]
    }
}
