extension ImageStore {
    /// What storing a pulled image changed.
    public enum PullOutcome: Sendable {
        /// The reference now names a new or other image (`Downloaded newer image for …`).
        case downloaded(ImageID)
        /// The reference already named this image (`Image is up to date for …`).
        case upToDate(ImageID)

        /// The image id.
        public var id: ImageID {
            switch self {
            case .downloaded(let id), .upToDate(let id): id
            }
        }
    }

    /// Stores a pulled image under the lock: the layer blobs downloaded to `ingest/`, the config and the manifest
    /// as their exact bytes (so the manifest keeps the registry's digest), and `reference` pointing at it.
    func storePulled(manifest: FetchedManifest, config: [UInt8], layers: [BlobWriter], reference: ImageReference)
        throws(ImageError) -> PullOutcome
    {
        try withLock { () throws(ImageError) -> PullOutcome in
            for writer in layers { _ = try writer.commit() }
            let configDescriptor = try blobs.write(config, mediaType: MediaType.imageConfig)
            var descriptor = try blobs.write(manifest.bytes, mediaType: manifest.mediaType)
            descriptor.annotations = [ImageIndex.imageIDAnnotation: configDescriptor.digest.description]
            var index = try readIndex()
            let previous = index.imageID(for: reference.description)
            index.addImage(descriptor)
            index.setReference(reference.description, to: descriptor)
            try writeIndex(index)
            return previous == configDescriptor.digest ? .upToDate(configDescriptor.digest)
                : .downloaded(configDescriptor.digest)
        }
    }
}
