import Crypto
import SystemKit

extension ImageStore {
    /// Where the build cache (step key → image id) is kept.
    var buildCachePath: String { "\(root)/build-cache.json" }

    /// The cache key of a build step: the parent image, the step as it runs and the content it reads.
    public static func buildCacheKey(parent: String, step: String, content: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("\(parent)\n\(step)\n\(content)".utf8))
        return Digest(finishing: hasher).description
    }

    /// The image an earlier build made for `key`, when it still exists.
    public func cachedBuildStep(_ key: String) throws(ImageError) -> ImageID? {
        guard let text = try readBuildCache()[key], let id = Digest(parsing: text) else { return nil }
        return try readIndex().imageIDs.contains(id) ? id : nil
    }

    /// Deletes build cache records, `docker builder prune`: those whose image is gone, or every one with `all`
    /// (later builds then run their steps again; the step images themselves are images, which `rmi` and
    /// `image prune` delete). The deleted records' keys.
    public func pruneBuildCache(all: Bool) throws(ImageError) -> [String] {
        try withLock { () throws(ImageError) -> [String] in
            let cache = try readBuildCache()
            let kept = all ? [:] : try liveRecords(of: cache)
            guard kept.count != cache.count else { return [] }
            try writeBuildCache(kept)
            return cache.keys.filter { kept[$0] == nil }.sorted()
        }
    }

    /// Records that the step `key` made image `id` (dropping the records whose image is gone).
    public func cacheBuildStep(_ key: String, image id: ImageID) throws(ImageError) {
        try withLock { () throws(ImageError) in
            var cache = try liveRecords(of: try readBuildCache())
            cache[key] = id.description
            try writeBuildCache(cache)
        }
    }

    /// The records of `cache` whose image still exists.
    private func liveRecords(of cache: [String: String]) throws(ImageError) -> [String: String] {
        let live = Set(try readIndex().imageIDs.map(\.description))
        return cache.filter { live.contains($0.value) }
    }

    /// The build cache file's records (none when it is missing or not JSON).
    private func readBuildCache() throws(ImageError) -> [String: String] {
        let bytes: [UInt8]?
        do { bytes = try AtomicFile.read(buildCachePath) } catch { throw .system(error) }
        return bytes.flatMap { try? JSONCoding.decode([String: String].self, from: $0, what: buildCachePath) } ?? [:]
    }

    /// Replaces the build cache file's records.
    private func writeBuildCache(_ cache: [String: String]) throws(ImageError) {
        let encoded = try JSONCoding.encode(cache)
        do { try AtomicFile.write(encoded, to: buildCachePath, mode: 0o600) } catch { throw .system(error) }
    }
}
