/// The OCI layout's `index.json`: one manifest descriptor per tag (annotated with
/// `org.opencontainers.image.ref.name`), plus one unannotated descriptor per untagged image.
public struct ImageIndex: Hashable, Sendable, Codable {
    /// Always 2.
    public var schemaVersion: Int
    /// `application/vnd.oci.image.index.v1+json`.
    public var mediaType: String?
    /// The manifests the store holds.
    public var manifests: [Descriptor]

    /// The annotation naming a tag; Splice writes the familiar reference, such as `bb:latest`.
    public static let referenceAnnotation = "org.opencontainers.image.ref.name"
    /// The annotation holding the image id (config digest), so listing needs no manifest reads.
    public static let imageIDAnnotation = "io.splice.image.id"

    /// Creates an index.
    public init(manifests: [Descriptor] = []) {
        schemaVersion = 2
        mediaType = MediaType.imageIndex
        self.manifests = manifests
    }
}
