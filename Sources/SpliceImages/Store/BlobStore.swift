import Glibc
import SystemKit

/// The content-addressed blobs of an OCI layout: `blobs/sha256/<hex>`, written through `ingest/` and verified.
public struct BlobStore: Sendable {
    /// The layout root.
    public let root: String

    /// A store over the layout at `root` (directories are made by `ImageStore`).
    public init(root: String) { self.root = root }

    /// Where the blob files live.
    public var blobDirectory: String { "\(root)/blobs/sha256" }
    /// Where blobs are written before they are verified; leftovers from a crash are ignored.
    public var ingestDirectory: String { "\(root)/ingest" }

    /// The file of `digest`.
    public func path(for digest: Digest) -> String { "\(blobDirectory)/\(digest.hex)" }

    /// Whether the blob is present.
    public func contains(_ digest: Digest) -> Bool { access(path(for: digest), F_OK) == 0 }

    /// The blob's bytes, verified against its digest; `notFound` when absent.
    public func read(_ digest: Digest) throws(ImageError) -> [UInt8] {
        let bytes: [UInt8]?
        do { bytes = try AtomicFile.read(path(for: digest)) } catch { throw .system(error) }
        guard let bytes else { throw ImageError(.notFound, "blob \(digest) not found") }
        guard Digest.of(bytes) == digest else { throw ImageError(.internal, "blob \(digest) is corrupt") }
        return bytes
    }

    /// Stores `bytes` and returns their descriptor.
    public func write(_ bytes: [UInt8], mediaType: String) throws(ImageError) -> Descriptor {
        let digest = Digest.of(bytes)
        if !contains(digest) {
            let writer = try BlobWriter(store: self)
            try writer.write(bytes)
            _ = try writer.commit(expected: digest)
        }
        return Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count))
    }

    /// The size of a blob file, or 0 when absent. Wraps `stat(2)`.
    public func size(of digest: Digest) -> Int64 {
        var info = stat()
        return stat(path(for: digest), &info) == 0 ? Int64(info.st_size) : 0
    }

    /// All stored blob digests (temporary files are not blobs).
    public func digests() -> [Digest] { Directory.entries(blobDirectory).compactMap { Digest(hex: $0) } }

    /// Deletes a blob; a missing blob is not an error.
    public func remove(_ digest: Digest) throws(ImageError) {
        do { try AtomicFile.remove(path(for: digest)) } catch { throw .system(error) }
    }
}
