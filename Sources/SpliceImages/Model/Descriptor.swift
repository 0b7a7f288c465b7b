/// An OCI content descriptor: what a blob is, its digest and size.
public struct Descriptor: Hashable, Sendable, Codable {
    /// The blob's media type.
    public var mediaType: String
    /// The blob's content digest.
    public var digest: Digest
    /// The blob's size in bytes.
    public var size: Int64
    /// Free-form annotations, such as `org.opencontainers.image.ref.name`.
    public var annotations: [String: String]?

    /// Creates a descriptor.
    public init(mediaType: String, digest: Digest, size: Int64, annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
    }
}
