import SystemKit

extension ImageStore {
    /// Imports a root filesystem tar (plain or compressed) read from `fileDescriptor` until end of file as a
    /// one-layer image, as `docker import` does. Returns the new image id.
    public func importImage(from fileDescriptor: Int32, options: ImportOptions = ImportOptions())
        throws(ImageError) -> ImageID
    {
        let reference = try options.reference.map { (text) throws(ImageError) in try ImageReference(parsing: text) }
        if let reference { try ImageStore.validateTag(reference) }
        var config = ContainerConfig()
        for change in options.changes { try ImageChange(parsing: change).apply(to: &config) }
        let layer = try LayerIngest.ingest(from: fileDescriptor, into: blobs)
        return try withLock { () throws(ImageError) -> ImageID in
            let layerDescriptor = try layer.commit()
            // Unpacked now, as dockerd does: a hostile or broken tar is refused before any image names it.
            try prepareOrDiscard(Layer(blob: layerDescriptor, diffID: layer.diffID))
            let created = Timestamp.now().rfc3339
            let comment = options.message.flatMap { $0.isEmpty ? nil : $0 } ?? "Imported from \(options.source)"
            let configuration = ImageConfiguration(
                created: created, config: config, diffIDs: [layer.diffID],
                history: [.init(created: created, createdBy: "", comment: comment)], comment: comment)
            let image = try storeImage(configuration, layers: [layerDescriptor])
            var index = try readIndex()
            index.addImage(image)
            if let reference { index.setReference(reference.description, to: image) }
            try writeIndex(index)
            guard let id = ImageIndex.imageID(of: image) else { throw ImageError(.internal, "stored image has no id") }
            return id
        }
    }

    /// Unpacks `layer` (see `preparedLayer`); on failure removes what the unpack left and the blob unless an image
    /// in the index uses it, then rethrows. Called under the store lock.
    func prepareOrDiscard(_ layer: Layer) throws(ImageError) {
        do {
            _ = try preparedLayer(layer)
        } catch {
            try? PathTree.removeTree(layerPaths(layer).directory)
            let index = try readIndex()
            // An image that cannot be read may use the blob: it is kept then.
            let used = index.imageIDs.contains { id in
                (try? image(id, in: index))?.layers.contains { $0.blob.digest == layer.blob.digest } ?? true
            }
            if !used { try? blobs.remove(layer.blob.digest) }
            throw error
        }
    }

    /// Writes a config and its manifest as blobs and returns the manifest descriptor for `index.json`.
    func storeImage(_ configuration: ImageConfiguration, layers: [Descriptor]) throws(ImageError) -> Descriptor {
        let config = try blobs.write(JSONCoding.encode(configuration), mediaType: MediaType.imageConfig)
        let manifest = ImageManifest(config: config, layers: layers)
        var descriptor = try blobs.write(JSONCoding.encode(manifest), mediaType: MediaType.imageManifest)
        descriptor.annotations = [ImageIndex.imageIDAnnotation: config.digest.description]
        return descriptor
    }

    /// Refuses references that cannot be tags: digests, and 64-hex repository names (they read as ids).
    static func validateTag(_ reference: ImageReference) throws(ImageError) {
        if reference.digest != nil {
            throw ImageError(.invalidArgument, "refusing to create a tag with a digest reference")
        }
        if reference.domain == nil, Digest(hex: reference.path) != nil {
            throw ImageError(
                .invalidArgument,
                "invalid repository name (\(reference.path)), cannot specify 64-byte hexadecimal strings")
        }
    }
}
