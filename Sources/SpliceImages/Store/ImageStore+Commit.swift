import Glibc
import SystemKit

extension ImageStore {
    /// The index annotation naming the image an image was committed or built on.
    public static let parentAnnotation = "io.splice.image.parent"

    /// Makes a new image from `commit`: the parent's layers and history, plus the new layer (the directory
    /// written as a tar with whiteouts as `.wh.` files) and one history step. Returns the new image id.
    public func commit(_ commit: ImageCommit) throws(ImageError) -> ImageID {
        let references = try commit.references.map { (text) throws(ImageError) -> ImageReference in
            let reference = try ImageReference(parsing: text)
            try ImageStore.validateTag(reference)
            return reference
        }
        let parent = try commit.parent.map { (name) throws(ImageError) in try image(named: name) }
        var pending: LayerIngest.Pending?
        if let layer = commit.layer { pending = try ingest(layer) }
        return try withLock { () throws(ImageError) -> ImageID in
            let created = Timestamp.now().rfc3339
            var layers = parent?.manifest.layers ?? []
            var diffIDs = parent?.configuration.rootfs.diffIDs ?? []
            if let pending {
                layers.append(try pending.commit())
                diffIDs.append(pending.diffID)
            }
            var step = ImageConfiguration.History(
                created: created, createdBy: commit.createdBy, comment: commit.comment,
                emptyLayer: pending == nil ? true : nil)
            step.author = commit.author
            var configuration = ImageConfiguration(
                created: created, config: commit.config, diffIDs: diffIDs,
                history: (parent?.configuration.history ?? []) + [step], comment: commit.comment)
            configuration.author = commit.author
            var descriptor = try storeImage(configuration, layers: layers)
            if let parent { descriptor.annotations?[ImageStore.parentAnnotation] = parent.id.description }
            var index = try readIndex()
            index.addImage(descriptor)
            for reference in references { index.setReference(reference.description, to: descriptor) }
            try writeIndex(index)
            guard let id = ImageIndex.imageID(of: descriptor) else {
                throw ImageError(.internal, "stored image has no id")
            }
            return id
        }
    }

    /// Writes `layer` as a tar into a spool file, then compresses and hashes it into the ingest directory.
    func ingest(_ layer: UpperDirectory) throws(ImageError) -> LayerIngest.Pending {
        let path = "\(blobs.ingestDirectory)/layer-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tar"
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .system(.current("open", path: path)) }
        unlink(path)
        defer { close(descriptor) }
        try LayerArchiver.write(layer, to: descriptor)
        guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw .system(.current("lseek", path: path)) }
        return try LayerIngest.ingest(from: descriptor, into: blobs)
    }
}
