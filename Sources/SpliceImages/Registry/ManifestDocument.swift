import FoundationEssentials

/// A manifest as a registry sent it: an image manifest (Docker schema 2 or OCI), or an index of them (a Docker
/// manifest list or an OCI index) from which one platform is chosen.
public enum ManifestDocument: Sendable {
    /// An image manifest.
    case manifest(ImageManifest)
    /// An index of per-platform manifests.
    case index([PlatformManifest])

    /// One entry of an index.
    public struct PlatformManifest: Hashable, Sendable, Decodable {
        /// The manifest's media type.
        public var mediaType: String?
        /// The manifest's digest.
        public var digest: Digest
        /// The manifest's size.
        public var size: Int64?
        /// The platform it is for.
        public var platform: Platform?
    }

    /// An index entry's platform.
    public struct Platform: Hashable, Sendable, Decodable {
        /// `amd64`, `arm64`, …
        public var architecture: String
        /// `linux`, `windows`, …
        public var os: String
        /// `v8` and such.
        public var variant: String?
    }

    /// The platform Splice runs images of.
    public static let hostPlatform = (os: "linux", architecture: "amd64")

    /// Decodes `bytes`, served with `contentType` (the body's own `mediaType` wins when it has one).
    public init(bytes: [UInt8], contentType: String?) throws(ImageError) {
        struct Probe: Decodable {
            var schemaVersion: Int?
            var mediaType: String?
            var manifests: [PlatformManifest]?
            var layers: [Descriptor]?
        }
        let probe: Probe
        do { probe = try JSONDecoder().decode(Probe.self, from: Data(bytes)) } catch {
            throw ImageError(.internal, "the registry sent a manifest that is not JSON: \(error)")
        }
        let mediaType = probe.mediaType ?? contentType?.split(separator: ";").first.map(String.init)
        let isSchema1 = mediaType?.contains("manifest.v1+") == true && mediaType?.contains("oci") != true
        if probe.schemaVersion == 1 || isSchema1 {
            throw ImageError(.invalidArgument, "Docker image manifest schema 1 is not supported; push the image "
                                + "again with a current client")
        }
        if let manifests = probe.manifests, probe.layers == nil {
            self = .index(manifests)
            return
        }
        self = .manifest(try JSONCoding.decode(ImageManifest.self, from: bytes, what: "manifest"))
    }

    /// The entry of `manifests` for linux/amd64, or a clear error naming what the index offers.
    public static func select(from manifests: [PlatformManifest], reference: String) throws(ImageError)
        -> PlatformManifest
    {
        let wanted = hostPlatform
        if let match = manifests.first(where: {
            $0.platform?.os == wanted.os && $0.platform?.architecture == wanted.architecture
        }) {
            return match
        }
        let offered = manifests.compactMap { $0.platform.map { "\($0.os)/\($0.architecture)" } }
        throw ImageError(.notFound, "no matching manifest for \(wanted.os)/\(wanted.architecture) in the manifest "
                            + "list entries of \(reference)" + (offered.isEmpty ? "" : " (it has "
                            + offered.joined(separator: ", ") + ")"))
    }
}
