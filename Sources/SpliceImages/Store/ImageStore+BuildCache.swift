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
        let bytes: [UInt8]?
        do { bytes = try AtomicFile.read(buildCachePath) } catch { throw .system(error) }
        guard let bytes else { return nil }
        let cache = (try? JSONCoding.decode([String: String].self, from: bytes, what: buildCachePath)) ?? [:]
        guard let text = cache[key], let id = Digest(parsing: text) else { return nil }
        return try readIndex().imageIDs.contains(id) ? id : nil
    }

    /// Deletes build cache records, `docker builder prune`: those whose image is gone, or every one with `all`
    /// (later builds then run their steps again; the step images themselves are images, which `rmi` and
    /// `image prune` delete). The deleted records' keys.
    public func pruneBuildCache(all: Bool) throws(ImageError) -> [String] {
        try withLock { () throws(ImageError) -> [String] in
            let bytes: [UInt8]?
            do { bytes = try AtomicFile.read(buildCachePath) } catch let error as SystemError {
                throw .system(error)
            } catch {
                throw ImageError(.internal, "cannot read \(buildCachePath)")
            }
            let cache = bytes.flatMap { try? JSONCoding.decode([String: String].self, from: $0, what: buildCachePath) }
                ?? [:]
            let live = Set(try readIndex().imageIDs.map(\.description))
            let kept = all ? [:] : cache.filter { live.contains($0.value) }
            guard kept.count != cache.count else { return [] }
            let encoded = try JSONCoding.encode(kept)
            do { try AtomicFile.write(encoded, to: buildCachePath, mode: 0o600) } catch let error as SystemError {
                throw .system(error)
            } catch {
                throw ImageError(.internal, "cannot write \(buildCachePath)")
            }
            return cache.keys.filter { kept[$0] == nil }.sorted()
        }
    }

    /// Records that the step `key` made image `id`.
    public func cacheBuildStep(_ key: String, image id: ImageID) throws(ImageError) {
        try withLock { () throws(ImageError) in
            let bytes: [UInt8]?
            do { bytes = try AtomicFile.read(buildCachePath) } catch let error as SystemError {
                throw .system(error)
            } catch {
                throw ImageError(.internal, "cannot read \(buildCachePath)")
            }
            var cache = bytes.flatMap { try? JSONCoding.decode([String: String].self, from: $0, what: buildCachePath) }
                ?? [:]
            let live = Set(try readIndex().imageIDs.map(\.description))
            cache = cache.filter { live.contains($0.value) }
            cache[key] = id.description
            let encoded = try JSONCoding.encode(cache)
            do { try AtomicFile.write(encoded, to: buildCachePath, mode: 0o600) } catch let error as SystemError {
                throw .system(error)
            } catch {
                throw ImageError(.internal, "cannot write \(buildCachePath)")
            }
        }
    }
}
