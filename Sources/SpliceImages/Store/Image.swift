/// One stored image: its manifest, config and the references that name it.
public struct Image: Hashable, Sendable {
    /// The image id: the config digest.
    public let id: ImageID
    /// The manifest's descriptor as `index.json` holds it.
    public let manifestDescriptor: Descriptor
    /// The manifest.
    public let manifest: ImageManifest
    /// The config.
    public let configuration: ImageConfiguration
    /// The tags naming the image, sorted; empty for a dangling image.
    public let references: [ImageReference]
    /// Docker's `RepoDigests`: `repository@digest` for each registry repository it was pulled from.
    public var repoDigests: [String] = []

    /// The annotation on a layer descriptor holding the uncompressed tar size.
    public static let uncompressedSizeAnnotation = "io.splice.layer.uncompressed-size"

    /// The layers bottom first, each its blob and diff id.
    public var layers: [Layer] {
        zip(manifest.layers, configuration.rootfs.diffIDs).map { Layer(blob: $0, diffID: $1) }
    }

    /// The creation time from the config, or the epoch when it has none.
    public var created: Timestamp {
        configuration.created.flatMap { Timestamp(rfc3339: $0) } ?? Timestamp(seconds: 0)
    }

    /// The image's size as Docker reports it: the sum of its uncompressed layers.
    public var size: Int64 { layers.reduce(0) { $0 + $1.uncompressedSize } }
}
