/// The OCI and Docker media types the store reads and writes.
public enum MediaType {
    /// An OCI image index (`index.json`).
    public static let imageIndex = "application/vnd.oci.image.index.v1+json"
    /// An OCI image manifest.
    public static let imageManifest = "application/vnd.oci.image.manifest.v1+json"
    /// An OCI image config.
    public static let imageConfig = "application/vnd.oci.image.config.v1+json"
    /// A gzip'd tar layer, as Docker stores layers.
    public static let layerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    /// An uncompressed tar layer.
    public static let layerTar = "application/vnd.oci.image.layer.v1.tar"
    /// A Docker schema 2 manifest, accepted from registries.
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    /// A Docker schema 2 manifest list (a multi-platform index), accepted from registries.
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    /// A Docker image config, accepted from registries.
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    /// A Docker gzip'd layer, accepted from registries.
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
}
