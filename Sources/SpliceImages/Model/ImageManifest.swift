/// An OCI image manifest: one config blob and the layer blobs, bottom first.
public struct ImageManifest: Hashable, Sendable, Codable {
    /// Always 2.
    public var schemaVersion: Int
    /// `application/vnd.oci.image.manifest.v1+json`.
    public var mediaType: String?
    /// The image config blob.
    public var config: Descriptor
    /// The layer blobs, bottom layer first.
    public var layers: [Descriptor]
    /// Free-form annotations.
    public var annotations: [String: String]?

    /// Creates an OCI manifest.
    public init(config: Descriptor, layers: [Descriptor], annotations: [String: String]? = nil) {
        schemaVersion = 2
        mediaType = MediaType.imageManifest
        self.config = config
        self.layers = layers
        self.annotations = annotations
    }
}
