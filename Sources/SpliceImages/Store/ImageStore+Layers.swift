import Glibc
import SystemKit

extension ImageStore {
    /// Where one layer is unpacked: `layers/<diff hex>/diff` (the overlay lower directory) and the `complete`
    /// marker written after the unpack finished.
    struct LayerPaths {
        /// `layers/<diff hex>`.
        let directory: String
        /// The unpacked tree.
        let diff: String
        /// Present only after a finished unpack.
        let marker: String
    }

    /// The paths of `layer`.
    func layerPaths(_ layer: Layer) -> LayerPaths {
        let directory = "\(layersDirectory)/\(layer.diffID.hex)"
        return LayerPaths(directory: directory, diff: directory + "/diff", marker: directory + "/complete")
    }

    /// Unpacks `layer`'s blob into the existing `directory` (for an overlay lower directory, or `.apply` to
    /// flatten several layers into one tree).
    public func unpack(layer: Layer, into directory: String, whiteouts: WhiteoutMode = .overlay) throws(ImageError) {
        guard blobs.contains(layer.blob.digest) else {
            throw ImageError(.notFound, "layer blob \(layer.blob.digest) not found")
        }
        try LayerUnpacker.unpack(archiveAt: blobs.path(for: layer.blob.digest), into: directory, whiteouts: whiteouts)
    }

    /// The unpacked directory of `layer`, unpacking it first unless a finished unpack exists. A directory left
    /// without its marker (a crash mid-unpack) is removed and redone.
    public func preparedLayer(_ layer: Layer) throws(ImageError) -> String {
        let paths = layerPaths(layer)
        if access(paths.marker, F_OK) == 0 { return paths.diff }
        let lock: FileLock
        do { lock = try FileLock(path: paths.directory + ".lock") } catch { throw .system(error) }
        defer { lock.unlock() }
        if access(paths.marker, F_OK) == 0 { return paths.diff }
        try PathTree.removeTree(paths.directory)
        do { try AtomicFile.makeDirectories(paths.diff, mode: 0o755) } catch { throw .system(error) }
        try unpack(layer: layer, into: paths.diff, whiteouts: .overlay)
        do { try AtomicFile.write(Array(layer.diffID.description.utf8), to: paths.marker, mode: 0o644) } catch {
            throw .system(error)
        }
        return paths.diff
    }

    /// The overlay lower directories of the image `name` names, top layer first (the order of overlayfs'
    /// `lowerdir=`), unpacking layers that are not yet unpacked.
    public func lowerDirectories(for name: String) throws(ImageError) -> [String] {
        var directories: [String] = []
        for layer in try image(named: name).layers.reversed() { directories.append(try preparedLayer(layer)) }
        return directories
    }
}
