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
