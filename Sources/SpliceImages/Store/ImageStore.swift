import Glibc
import SystemKit

/// The image store: an OCI image layout under `root` (the engine passes `<graph>/images`) with `oci-layout`,
/// `index.json` (which also holds the tags), `blobs/sha256/`, and unpacked layers under `layers/<diff id>/`.
///
/// Every change to `index.json` is one atomic rename made under an exclusive lock on `root/lock`, so concurrent
/// Splice processes and threads see either the old or the new index.
public final class ImageStore: Sendable {
    /// The layout root.
    public let root: String
    /// The blobs of the layout.
    public let blobs: BlobStore

    /// The default store of the default graph directory.
    public static let defaultRoot = "/var/lib/splice/images"

    /// Opens (creating when needed) the layout at `root`.
    public init(root: String = ImageStore.defaultRoot) throws(ImageError) {
        self.root = root
        blobs = BlobStore(root: root)
        do {
            for directory in [blobs.blobDirectory, blobs.ingestDirectory, layersDirectory] {
                try AtomicFile.makeDirectories(directory, mode: 0o700)
            }
            if try AtomicFile.read("\(root)/oci-layout") == nil {
                try AtomicFile.write(
                    Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8), to: "\(root)/oci-layout", mode: 0o644)
            }
        } catch {
            throw .system(error)
        }
    }

    /// `index.json`.
    var indexPath: String { "\(root)/index.json" }
    /// Where layers are unpacked.
    var layersDirectory: String { "\(root)/layers" }

    /// The current index; an empty one when the file does not exist yet.
    func readIndex() throws(ImageError) -> ImageIndex {
        let bytes: [UInt8]?
        do { bytes = try AtomicFile.read(indexPath) } catch { throw .system(error) }
        guard let bytes else { return ImageIndex() }
        return try JSONCoding.decode(ImageIndex.self, from: bytes, what: indexPath)
    }

    /// Replaces the index atomically.
    func writeIndex(_ index: ImageIndex) throws(ImageError) {
        let bytes = try JSONCoding.encode(index)
        do { try AtomicFile.write(bytes, to: indexPath, mode: 0o644) } catch { throw .system(error) }
    }

    /// Runs `body` holding the store's exclusive lock.
    func withLock<T>(_ body: () throws(ImageError) -> T) throws(ImageError) -> T {
        let lock: FileLock
        do { lock = try FileLock(path: "\(root)/lock") } catch { throw .system(error) }
        defer { lock.unlock() }
        return try body()
    }

    /// Runs `body` on the index under the lock and writes back what it leaves.
    func updateIndex<T>(_ body: (inout ImageIndex) throws(ImageError) -> T) throws(ImageError) -> T {
        try withLock { () throws(ImageError) -> T in
            var index = try readIndex()
            let result = try body(&index)
            try writeIndex(index)
            return result
        }
    }

    /// Loads an image's manifest and config.
    func image(_ id: ImageID, in index: ImageIndex) throws(ImageError) -> Image {
        guard let descriptor = index.manifestDescriptor(of: id) else { throw .noSuchImage(id.description) }
        var manifest = try JSONCoding.decode(
            ImageManifest.self, from: try blobs.read(descriptor.digest), what: "manifest \(descriptor.digest)")
        // A pulled image's layer sizes live in its index entry (its manifest's bytes are the registry's).
        if let sizes = descriptor.annotations?[ImageIndex.layerSizesAnnotation]?.split(separator: ","),
           sizes.count == manifest.layers.count
        {
            for (position, size) in sizes.enumerated() where Int64(size) != nil {
                manifest.layers[position].annotations = (manifest.layers[position].annotations ?? [:])
                    .merging([Image.uncompressedSizeAnnotation: String(size)]) { $1 }
            }
        }
        let configuration = try JSONCoding.decode(
            ImageConfiguration.self, from: try blobs.read(manifest.config.digest), what: "config \(id)")
        let references = index.references(of: id).compactMap { try? ImageReference(parsing: $0) }
        return Image(
            id: id, manifestDescriptor: descriptor, manifest: manifest, configuration: configuration,
            references: references, repoDigests: index.repoDigests(of: id))
    }

    /// The image that `name` resolves to (see `resolve(_:in:)`).
    public func image(named name: String) throws(ImageError) -> Image {
        let index = try readIndex()
        return try image(resolve(name, in: index).id, in: index)
    }

    /// All images, in index order.
    public func allImages() throws(ImageError) -> [Image] {
        let index = try readIndex()
        var images: [Image] = []
        for id in index.imageIDs { images.append(try image(id, in: index)) }
        return images
    }
}
