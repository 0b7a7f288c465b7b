import Glibc
import SystemKit

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
            descriptor.annotations = [
                ImageIndex.imageIDAnnotation: configDescriptor.digest.description,
                ImageIndex.repoDigestAnnotation: reference.repository + "@" + descriptor.digest.description,
            ]
            var index = try readIndex()
            let previous = index.imageID(for: reference.description)
            index.addImage(descriptor)
            index.setReference(reference.description, to: descriptor)
            try writeIndex(index)
            return previous == configDescriptor.digest ? .upToDate(configDescriptor.digest)
                : .downloaded(configDescriptor.digest)
        }
    }

    /// Unpacks `layer` from the tar arriving on `pipe` as it downloads (nothing is read back from disk), then waits
    /// for the download's end and runs `verify` (the digest check) before marking the layer complete. On any failure
    /// the layer's directory is removed. A layer already unpacked is left as it is. Closes the pipe's read end.
    func unpackStreaming(_ layer: Layer, from pipe: LayerPipe, verify: () throws(ImageError) -> Void)
        throws(ImageError)
    {
        let paths = layerPaths(layer)
        let lock: FileLock
        do { lock = try FileLock(path: paths.directory + ".lock") } catch {
            pipe.drainAndClose()
            throw .system(error)
        }
        defer { lock.unlock() }
        if access(paths.marker, F_OK) == 0 {
            pipe.drainAndClose()
            try verify()
            return
        }
        do throws(ImageError) {
            try PathTree.removeTree(paths.directory)
            do { try AtomicFile.makeDirectories(paths.diff, mode: 0o755) } catch { throw .system(error) }
            try LayerUnpacker.unpack(archiveAt: pipe.readPath, into: paths.diff, whiteouts: .overlay)
            pipe.drainAndClose()
            try verify()
            do { try AtomicFile.write(Array(layer.diffID.description.utf8), to: paths.marker, mode: 0o644) } catch {
                throw .system(error)
            }
        } catch {
            pipe.drainAndClose()
            try? PathTree.removeTree(paths.directory)
            // A corrupt blob usually breaks the decompression first; its digest is the cause to report.
            try verify()
            throw error
        }
    }
}
