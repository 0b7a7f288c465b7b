extension ImageIndex {
    /// The annotation on a pulled image's entries: `repository@digest` of the registry's manifest.
    static let repoDigestAnnotation = "io.splice.image.repo-digest"
    /// The annotation on a pulled image's entries: its layers' uncompressed sizes, bottom first, comma-separated
    /// (the registry's manifest is kept byte for byte, so they cannot go on its layer descriptors).
    static let layerSizesAnnotation = "io.splice.image.layer-sizes"

    /// The image id a descriptor carries.
    static func imageID(of descriptor: Descriptor) -> ImageID? {
        descriptor.annotations?[imageIDAnnotation].flatMap { Digest(parsing: $0) }
    }

    /// The ids of all images, once each, in index order.
    var imageIDs: [ImageID] {
        var seen: Set<ImageID> = []
        return manifests.compactMap(ImageIndex.imageID(of:)).filter { seen.insert($0).inserted }
    }

    /// The manifest descriptor of an image, without its reference annotation.
    func manifestDescriptor(of id: ImageID) -> Descriptor? {
        guard var descriptor = manifests.first(where: { ImageIndex.imageID(of: $0) == id }) else { return nil }
        descriptor.annotations?[ImageIndex.referenceAnnotation] = nil
        return descriptor
    }

    /// The references (familiar text, such as `bb:latest`) naming an image, sorted.
    func references(of id: ImageID) -> [String] {
        manifests.filter { ImageIndex.imageID(of: $0) == id }.compactMap {
            $0.annotations?[ImageIndex.referenceAnnotation]
        }
        .sorted()
    }

    /// Docker's `RepoDigests` of an image: `repository@manifest-digest` for each repository it was pulled from or
    /// pushed to, sorted, once each. An entry's annotation holds one or more, comma-separated.
    func repoDigests(of id: ImageID) -> [String] {
        let digests = manifests.filter { ImageIndex.imageID(of: $0) == id }.flatMap {
            ($0.annotations?[ImageIndex.repoDigestAnnotation] ?? "").split(separator: ",").map(String.init)
        }
        return Array(Set(digests)).sorted()
    }

    /// Adds `repoDigest` (`repository@digest`) to every entry of image `id`, replacing one of the same repository
    /// (a push of another manifest of the image to that repository).
    mutating func addRepoDigest(_ repoDigest: String, to id: ImageID) {
        let repository = repoDigest.split(separator: "@").first.map(String.init) ?? repoDigest
        for position in manifests.indices where ImageIndex.imageID(of: manifests[position]) == id {
            var values = (manifests[position].annotations?[ImageIndex.repoDigestAnnotation] ?? "")
                .split(separator: ",").map(String.init)
            values.removeAll { $0.split(separator: "@").first.map(String.init) == repository }
            values.append(repoDigest)
            manifests[position].annotations = (manifests[position].annotations ?? [:])
                .merging([ImageIndex.repoDigestAnnotation: values.joined(separator: ",")]) { $1 }
        }
    }

    /// The image a reference names.
    func imageID(for reference: String) -> ImageID? {
        manifests.first { $0.annotations?[ImageIndex.referenceAnnotation] == reference }.flatMap(
            ImageIndex.imageID(of:))
    }

    /// Adds an untagged entry for an image unless the image is already listed.
    mutating func addImage(_ descriptor: Descriptor) {
        guard let id = ImageIndex.imageID(of: descriptor), manifestDescriptor(of: id) == nil else { return }
        var plain = descriptor
        plain.annotations?[ImageIndex.referenceAnnotation] = nil
        manifests.append(plain)
    }

    /// Points `reference` at the image of `descriptor`; the image losing it keeps an untagged (dangling) entry.
    mutating func setReference(_ reference: String, to descriptor: Descriptor) {
        removeReference(reference)
        var tagged = descriptor
        tagged.annotations = (descriptor.annotations ?? [:]).merging([ImageIndex.referenceAnnotation: reference]) { $1 }
        manifests.removeAll {
            ImageIndex.imageID(of: $0) == ImageIndex.imageID(of: descriptor)
                && $0.annotations?[ImageIndex.referenceAnnotation] == nil
        }
        manifests.append(tagged)
    }

    /// Removes `reference`; its image keeps an untagged entry when that was its last reference.
    mutating func removeReference(_ reference: String) {
        guard let index = manifests.firstIndex(where: { $0.annotations?[ImageIndex.referenceAnnotation] == reference })
        else { return }
        let removed = manifests.remove(at: index)
        if let id = ImageIndex.imageID(of: removed), manifestDescriptor(of: id) == nil {
            var plain = removed
            plain.annotations?[ImageIndex.referenceAnnotation] = nil
            manifests.append(plain)
        }
    }

    /// Removes every entry of an image.
    mutating func removeImage(_ id: ImageID) {
        manifests.removeAll { ImageIndex.imageID(of: $0) == id }
    }
}
