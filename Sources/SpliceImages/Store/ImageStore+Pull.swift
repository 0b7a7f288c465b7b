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
    /// as their exact bytes (so the manifest keeps the registry's digest), and `reference` pointing at it. The
    /// uncompressed size of each layer (`sizes` for those fetched, otherwise what the store knows or measures) is
    /// kept in the index entry, since the manifest's bytes cannot change.
    func storePulled(manifest: FetchedManifest, config: [UInt8], layers: [BlobWriter], sizes: [Digest: Int64],
                     of imageLayers: [Layer], reference: ImageReference) throws(ImageError) -> PullOutcome
    {
        var known = sizes
        for layer in imageLayers where known[layer.blob.digest] == nil {
            known[layer.blob.digest] = try uncompressedSize(of: layer)
        }
        let layerSizes = imageLayers.map { String(known[$0.blob.digest] ?? $0.blob.size) }.joined(separator: ",")
        return try withLock { () throws(ImageError) -> PullOutcome in
            for writer in layers { _ = try writer.commit() }
            let configDescriptor = try blobs.write(config, mediaType: MediaType.imageConfig)
            var descriptor = try blobs.write(manifest.bytes, mediaType: manifest.mediaType)
            descriptor.annotations = [
                ImageIndex.imageIDAnnotation: configDescriptor.digest.description,
                ImageIndex.repoDigestAnnotation: reference.repository + "@" + descriptor.digest.description,
                ImageIndex.layerSizesAnnotation: layerSizes,
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
    /// for the download's end and runs `verify` (the digest check) before marking the layer complete. The diff id is
    /// the sha256 of the uncompressed stream, computed while extracting; one that is not `layer.diffID` (the image
    /// config's) is an error. On any failure the layer's directory is removed. A layer already unpacked is not
    /// unpacked again, but its stream is still decompressed and checked. Closes the pipe's read end.
    /// Returns the layer's uncompressed size.
    func unpackStreaming(_ layer: Layer, from pipe: LayerPipe, verify: () throws(ImageError) -> Void)
        throws(ImageError) -> Int64
    {
        let paths = layerPaths(layer)
        let lock: FileLock
        do { lock = try FileLock(path: paths.directory + ".lock") } catch {
            pipe.drainAndClose()
            throw .system(error)
        }
        defer { lock.unlock() }
        if access(paths.marker, F_OK) == 0 {
            let summary: LayerSummary
            do throws(ImageError) {
                summary = try UncompressedStream.summary(ofLayerAt: pipe.readPath)
            } catch {
                pipe.drainAndClose()
                try verify()
                throw error
            }
            pipe.drainAndClose()
            try verify()
            try Self.check(summary, of: layer)
            return summary.size
        }
        do throws(ImageError) {
            try PathTree.removeTree(paths.directory)
            do { try AtomicFile.makeDirectories(paths.diff, mode: 0o755) } catch { throw .system(error) }
            let summary = try LayerUnpacker.unpack(archiveAt: pipe.readPath, into: paths.diff, whiteouts: .overlay)
            pipe.drainAndClose()
            try verify()
            try Self.check(summary, of: layer)
            do { try AtomicFile.write(Array(layer.diffID.description.utf8), to: paths.marker, mode: 0o644) } catch {
                throw .system(error)
            }
            return summary.size
        } catch {
            pipe.drainAndClose()
            try? PathTree.removeTree(paths.directory)
            // A corrupt blob usually breaks the decompression first; its digest is the cause to report.
            try verify()
            throw error
        }
    }

    /// The uncompressed size of a layer already in the store: from an image that records it for the same blob and
    /// diff id, otherwise measured from its blob (whose diff id is checked on the way: a config naming another
    /// diff id for a blob the store has is refused as a downloaded one would be).
    func uncompressedSize(of layer: Layer) throws(ImageError) -> Int64 {
        for image in try allImages() {
            for other in image.layers where other.blob.digest == layer.blob.digest && other.diffID == layer.diffID {
                if let size = other.knownUncompressedSize { return size }
            }
        }
        let summary = try UncompressedStream.summary(ofLayerAt: blobs.path(for: layer.blob.digest))
        try Self.check(summary, of: layer)
        return summary.size
    }

    /// Refuses a layer whose uncompressed stream does not have the diff id the image config names for it.
    static func check(_ summary: LayerSummary, of layer: Layer) throws(ImageError) {
        guard summary.diffID != layer.diffID else { return }
        throw ImageError(.internal, "layers from manifest don't match image configuration: layer \(layer.blob.digest) "
                            + "has diff id \(summary.diffID), the image config says \(layer.diffID)")
    }
}
