import Glibc
import SystemKit

extension ImageStore {
    /// One image of `manifest.json` in a docker-archive (`docker save`), with Docker's field names.
    struct ArchiveManifestEntry: Codable {
        /// The config file's name in the tar (`blobs/sha256/<hex>`).
        var config: String
        /// The tags the image is saved (and loaded) under; nil for an image saved by id.
        var repoTags: [String]?
        /// The layer files, bottom first.
        var layers: [String]

        enum CodingKeys: String, CodingKey {
            case config = "Config"
            case repoTags = "RepoTags"
            case layers = "Layers"
        }
    }

    /// The blob path inside a saved tar.
    static func archiveBlobPath(_ digest: Digest) -> String { "blobs/sha256/" + digest.hex }

    /// `docker save`: writes one tar to `fileDescriptor` holding the images `names` name, both as a docker-archive
    /// (`manifest.json`, `repositories`) and as an OCI image layout (`oci-layout`, `index.json`), sharing the blobs
    /// under `blobs/sha256/` (each once, config bytes unchanged, so a load gives back the same image ids).
    public func save(_ names: [String], to fileDescriptor: Int32) throws(ImageError) {
        let index = try readIndex()
        var order: [ImageID] = []
        var tags: [ImageID: [ImageReference]] = [:]
        for name in names {
            let resolution = try resolve(name, in: index)
            if !order.contains(resolution.id) { order.append(resolution.id) }
            if let reference = resolution.reference, !(tags[resolution.id] ?? []).contains(reference) {
                tags[resolution.id, default: []].append(reference)
            }
        }
        let images = try order.map { (id) throws(ImageError) -> Image in try image(id, in: index) }
        let writer = try TarWriter(writingTo: fileDescriptor, modified: Int(Timestamp.now().seconds))
        try writer.addDirectory("blobs/")
        try writer.addDirectory("blobs/sha256/")
        var written: Set<Digest> = []
        var entries: [ArchiveManifestEntry] = []
        var repositories: [String: [String: String]] = [:]
        var ociIndex = ImageIndex()
        for image in images {
            for digest in [image.manifest.config.digest] + image.layers.map(\.blob.digest)
                + [image.manifestDescriptor.digest] where written.insert(digest).inserted
            {
                try writer.add(Self.archiveBlobPath(digest), file: blobs.path(for: digest))
            }
            let references = tags[image.id] ?? []
            entries.append(
                ArchiveManifestEntry(
                    config: Self.archiveBlobPath(image.manifest.config.digest),
                    repoTags: references.isEmpty ? nil : references.map(\.description),
                    layers: image.layers.map { Self.archiveBlobPath($0.blob.digest) }))
            let plain = Descriptor(
                mediaType: image.manifestDescriptor.mediaType, digest: image.manifestDescriptor.digest,
                size: image.manifestDescriptor.size)
            if references.isEmpty { ociIndex.manifests.append(plain) }
            for reference in references {
                if let top = image.layers.last {
                    repositories[reference.repository, default: [:]][reference.tag ?? "latest"] = top.diffID.hex
                }
                var tagged = plain
                tagged.annotations = [
                    "io.containerd.image.name": reference.qualifiedRepository + ":" + (reference.tag ?? "latest"),
                    ImageIndex.referenceAnnotation: reference.tag ?? "latest",
                ]
                ociIndex.manifests.append(tagged)
            }
        }
        try writer.add("index.json", bytes: JSONCoding.encode(ociIndex))
        try writer.add("manifest.json", bytes: JSONCoding.encode(entries))
        try writer.add("oci-layout", bytes: Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))
        if !repositories.isEmpty { try writer.add("repositories", bytes: JSONCoding.encode(repositories)) }
        try writer.finish()
    }
}
