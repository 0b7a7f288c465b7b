/// One layer of an image: the stored (compressed) blob and the digest of its uncompressed tar.
public struct Layer: Hashable, Sendable {
    /// The layer blob's descriptor, from the manifest.
    public let blob: Descriptor
    /// The digest of the uncompressed tar, from the config's `rootfs.diff_ids`.
    public let diffID: Digest

    /// Creates a layer.
    public init(blob: Descriptor, diffID: Digest) {
        self.blob = blob
        self.diffID = diffID
    }

    /// The uncompressed size from the blob's annotation, or the blob size when it has none.
    public var uncompressedSize: Int64 { knownUncompressedSize ?? blob.size }

    /// The uncompressed size from the blob's annotation, if it has one.
    public var knownUncompressedSize: Int64? {
        blob.annotations?[Image.uncompressedSizeAnnotation].flatMap { Int64($0) }
    }
}
