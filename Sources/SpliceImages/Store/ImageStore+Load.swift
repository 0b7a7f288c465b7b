import Glibc
import SystemKit

extension ImageStore {
    /// What `docker load` reports for each image: `Loaded image: NAME` or, untagged, `Loaded image ID: ID`.
    public enum Loaded: Hashable, Sendable {
        /// An image loaded under a tag.
        case tagged(String)
        /// An image loaded without one.
        case untagged(ImageID)

        /// The line docker load prints.
        public var message: String {
            switch self {
            case .tagged(let name): "Loaded image: \(name)"
            case .untagged(let id): "Loaded image ID: \(id)"
            }
        }
    }

    /// `docker load`: reads a docker-archive (`manifest.json`) or an OCI image layout (`index.json`) from
    /// `fileDescriptor`, unpacked first into a scratch directory under `scratch` with the same refusals as `docker cp`
    /// (no `..` or absolute names, no device nodes, no writes through the archive's own symlinks). Every layer's
    /// digest is checked against the config's `diff_ids`; config bytes are kept as they are, so ids are unchanged.
    /// `onLayer` hears of each layer as it is stored: its diff id and uncompressed size (docker's `Loading layer`).
    public func load(from fileDescriptor: Int32, scratch: String, maximumBytes: Int64? = nil,
                     onLayer: (Digest, Int64) -> Void = { _, _ in }) throws(ImageError) -> [Loaded]
    {
        let directory = scratch + "/load-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        do { try AtomicFile.makeDirectories(directory, mode: 0o700) } catch { throw .system(error) }
        defer { try? PathTree.removeTree(directory) }
        let root: RootDirectory
        do { root = try RootDirectory.open(directory) } catch { throw .system(error) }
        try ArchiveExtractor(root: root, target: [], options: ExtractOptions(maximumBytes: maximumBytes))
            .extract(from: fileDescriptor)

        if let manifest = try Self.readFile("manifest.json", in: root) {
            let entries = try JSONCoding.decode([ArchiveManifestEntry].self, from: manifest, what: "manifest.json")
            var loaded: [Loaded] = []
            for entry in entries {
                guard let config = try Self.readFile(entry.config, in: root) else {
                    throw ImageError(.invalidArgument, "invalid archive: \(entry.config) is missing")
                }
                loaded += try loadImage(config: config, layers: entry.layers, tags: entry.repoTags ?? [], root: root,
                                        onLayer: onLayer)
            }
            return loaded
        }
        if let indexBytes = try Self.readFile("index.json", in: root) {
            let index = try JSONCoding.decode(ImageIndex.self, from: indexBytes, what: "index.json")
            var loaded: [Loaded] = []
            for descriptor in index.manifests {
                guard let bytes = try Self.readFile(Self.archiveBlobPath(descriptor.digest), in: root),
                      Digest.of(bytes) == descriptor.digest else {
                    throw ImageError(.invalidArgument, "invalid archive: manifest \(descriptor.digest) is missing")
                }
                let manifest = try JSONCoding.decode(ImageManifest.self, from: bytes, what: "manifest")
                guard let config = try Self.readFile(Self.archiveBlobPath(manifest.config.digest), in: root) else {
                    throw ImageError(.invalidArgument, "invalid archive: config \(manifest.config.digest) is missing")
                }
                let name = descriptor.annotations?["io.containerd.image.name"]
                    ?? descriptor.annotations?[ImageIndex.referenceAnnotation]
                loaded += try loadImage(config: config, layers: manifest.layers.map { Self.archiveBlobPath($0.digest) },
                                        tags: name.map { [$0] } ?? [], root: root, onLayer: onLayer)
            }
            return loaded
        }
        throw ImageError(.invalidArgument, "invalid archive: it has neither manifest.json nor index.json")
    }

    /// Stores one image from its config bytes and layer files (paths in the unpacked archive), tagged with `tags`.
    private func loadImage(config: [UInt8], layers: [String], tags: [String], root: RootDirectory,
                           onLayer: (Digest, Int64) -> Void) throws(ImageError) -> [Loaded]
    {
        let configuration = try JSONCoding.decode(ImageConfiguration.self, from: config, what: "image config")
        guard configuration.rootfs.diffIDs.count == layers.count else {
            throw ImageError(
                .invalidArgument,
                "invalid archive: the config lists \(configuration.rootfs.diffIDs.count) layers, "
                    + "the manifest \(layers.count)")
        }
        let references = try tags.map { (tag) throws(ImageError) -> ImageReference in
            let reference = try ImageReference(parsing: tag)
            try ImageStore.validateTag(reference)
            return reference
        }
        var pending: [LayerIngest.Pending] = []
        for (path, expected) in zip(layers, configuration.rootfs.diffIDs) {
            let file: FileDescriptor
            do { file = try Self.openRegular(path, in: root) } catch where error.errno == .invalidArgument {
                throw ImageError(.invalidArgument, "invalid archive: layer \(path) is not a regular file",
                                 cause: error)
            } catch {
                throw ImageError(.invalidArgument, "invalid archive: layer \(path) is missing", cause: error)
            }
            let layer = try LayerIngest.ingest(from: file.rawValue, into: blobs)
            guard layer.diffID == expected else {
                throw ImageError(.invalidArgument, "invalid archive: layer \(path) has digest \(layer.diffID), "
                                 + "the config expects \(expected)")
            }
            pending.append(layer)
            onLayer(layer.diffID, layer.uncompressedSize)
        }
        return try withLock { () throws(ImageError) -> [Loaded] in
            var descriptors: [Descriptor] = []
            for layer in pending { descriptors.append(try layer.commit()) }
            for (descriptor, layer) in zip(descriptors, pending) {
                try prepareOrDiscard(Layer(blob: descriptor, diffID: layer.diffID))
            }
            let configDescriptor = try blobs.write(config, mediaType: MediaType.imageConfig)
            let manifest = ImageManifest(config: configDescriptor, layers: descriptors)
            var descriptor = try blobs.write(JSONCoding.encode(manifest), mediaType: MediaType.imageManifest)
            descriptor.annotations = [ImageIndex.imageIDAnnotation: configDescriptor.digest.description]
            var index = try readIndex()
            index.addImage(descriptor)
            for reference in references { index.setReference(reference.description, to: descriptor) }
            try writeIndex(index)
            if references.isEmpty { return [.untagged(configDescriptor.digest)] }
            return references.map { .tagged($0.description) }
        }
    }

    /// A file of the unpacked archive (resolved inside it), or nil when absent.
    static func readFile(_ path: String, in root: RootDirectory) throws(ImageError) -> [UInt8]? {
        do {
            return try openRegular(path, in: root).readAll()
        } catch where error.errno == .noSuchFileOrDirectory {
            return nil
        } catch where error.errno == .invalidArgument {
            throw ImageError(.invalidArgument, "invalid archive: \(path) is not a regular file", cause: error)
        } catch {
            throw .system(error)
        }
    }

    /// Opens a file of the unpacked archive for reading; EINVAL when it is not a regular file. The open does not
    /// wait: a FIFO the archive made (`manifest.json` or a layer) would otherwise block the load forever.
    static func openRegular(_ path: String, in root: RootDirectory) throws(SystemError) -> FileDescriptor {
        let file = try root.open(path, O_RDONLY | O_NONBLOCK)
        var status = stat()
        guard fstat(file.rawValue, &status) == 0 else { throw .current("fstat", path: path) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw SystemError("open", errno: .invalidArgument, path: path)
        }
        return file
    }
}
