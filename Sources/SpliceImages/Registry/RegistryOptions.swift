/// How the daemon reaches registries: which hosts speak plain HTTP, which mirrors stand in for Docker Hub, and where
/// per-host CA certificates live.
public struct RegistryOptions: Sendable {
    /// `--insecure-registry` values: `HOST[:PORT]` or a CIDR (`10.0.0.0/8`); reached over plain HTTP.
    public var insecureRegistries: [String]
    /// `--registry-mirror` URLs (`http://127.0.0.1:5000`), tried in order before Docker Hub.
    public var mirrors: [String]
    /// The directory of per-host certificates (`HOST[:PORT]/ca.crt`, `client.cert`, `client.key`).
    public var certificatesDirectory: String
    /// Blobs larger than this are pushed in chunks of this size (`PATCH` with `Content-Range`, then `PUT`), smaller
    /// ones in one `PUT`.
    public var uploadChunkSize: Int64

    /// The default chunk size: 32 MiB.
    public static let defaultUploadChunkSize: Int64 = 32 << 20

    /// Creates options.
    public init(insecureRegistries: [String] = [], mirrors: [String] = [],
                certificatesDirectory: String = "/etc/docker/certs.d",
                uploadChunkSize: Int64 = RegistryOptions.defaultUploadChunkSize) {
        self.insecureRegistries = insecureRegistries
        self.mirrors = mirrors
        self.certificatesDirectory = certificatesDirectory
        self.uploadChunkSize = max(uploadChunkSize, 1)
    }
}
