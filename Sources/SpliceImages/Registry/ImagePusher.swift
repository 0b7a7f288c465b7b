import AsyncHTTPClient

/// Pushes images from the store to their registry: each blob is asked for first (`HEAD`) and uploaded only when
/// missing, in one `PUT` or, above the client's chunk size, in chunks; the manifest goes last, as its exact stored
/// bytes, so its digest is kept.
public struct ImagePusher: Sendable {
    /// The store pushed from.
    public let store: ImageStore
    /// The registry client.
    public let client: RegistryClient
    /// How many layers upload at once.
    public var concurrentUploads = 3

    /// Creates a pusher.
    public init(store: ImageStore, client: RegistryClient) {
        self.store = store
        self.client = client
    }

    /// The references a push of `name` with `tag` covers: the one tag, or without a tag every tag of the
    /// repository (`docker push -a`). `notFound` in dockerd's words when there is none.
    public func references(_ name: String, tag: String?) throws(ImageError) -> [ImageReference] {
        let parsed = try ImageReference(parsing: name)
        if let tag {
            let reference = parsed.withTag(tag)
            _ = try store.resolve(reference.description)
            return [reference]
        }
        if name.contains(":") && name.lastIndex(of: ":").map({ !name[$0...].contains("/") }) == true {
            _ = try store.resolve(parsed.description)
            return [parsed]
        }
        let tagged = try store.allImages().flatMap(\.references).filter {
            $0.repository == parsed.repository && $0.tag != nil
        }
        guard !tagged.isEmpty else { throw ImageError.noSuchImage(parsed.repository) }
        return tagged.sorted { $0.description < $1.description }
    }

    /// Pushes each of `references` (see `references(_:tag:)`).
    public func push(_ references: [ImageReference], credentials: RegistryCredentials?,
                     progress: @escaping @Sendable (TransferEvent) -> Void) async throws(ImageError)
    {
        guard let first = references.first else { return }
        progress(.status("The push refers to repository [\(first.qualifiedRepository)]", id: nil))
        for reference in references { try await push(reference, credentials: credentials, progress: progress) }
    }

    /// Pushes one tag.
    private func push(_ reference: ImageReference, credentials: RegistryCredentials?,
                      progress: @escaping @Sendable (TransferEvent) -> Void) async throws(ImageError)
    {
        let image = try store.image(named: reference.description)
        let domain = reference.domain ?? ImageReference.defaultDomain
        let endpoint = try await client.endpoint(for: domain)
        let session = client.session(endpoint, repository: RegistryClient.remotePath(of: reference),
                                     actions: "pull,push", credentials: credentials)
        let layers = Array(image.manifest.layers.reversed())
        let sources = try mountSources(for: reference)
        for layer in layers { progress(.layer("Preparing", id: String(layer.digest.hex.prefix(12)))) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                func startNext() {
                    guard next < layers.count else { return }
                    let layer = layers[next]
                    next += 1
                    group.addTask {
                        try await pushLayer(layer, session: session, source: sources[layer.digest], progress: progress)
                    }
                }
                for _ in 0..<max(1, concurrentUploads) { startNext() }
                while try await group.next() != nil { startNext() }
            }
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError(.internal, "push of \(reference) failed: \(error)")
        }
        let config = image.manifest.config
        if try await !session.hasBlob(config.digest) { try await upload(config, session: session) { _ in } }
        let manifest = try store.blobs.read(image.manifestDescriptor.digest)
        let mediaType = image.manifest.mediaType ?? image.manifestDescriptor.mediaType
        let tag = reference.tag ?? "latest"
        try await session.putManifest(manifest, mediaType: mediaType, tag: tag)
        // As dockerd does, the image now has a digest in the repository it was pushed to.
        try store.addRepoDigest(reference.repository + "@" + image.manifestDescriptor.digest.description, to: image.id)
        progress(.status("\(tag): digest: \(image.manifestDescriptor.digest) size: \(manifest.count)", id: nil))
        progress(.pushed(tag: tag, digest: image.manifestDescriptor.digest, size: manifest.count))
    }

    /// Uploads one layer unless the repository has it already.
    /// With `source`, another repository of the same registry holding the blob, the blob is mounted from there
    /// when the registry allows it (`Mounted from …`).
    private func pushLayer(_ layer: Descriptor, session: RegistrySession, source: String?,
                           progress: @escaping @Sendable (TransferEvent) -> Void) async throws(ImageError)
    {
        let id = String(layer.digest.hex.prefix(12))
        if try await session.hasBlob(layer.digest) {
            progress(.layer("Layer already exists", id: id))
            return
        }
        if let source, try await session.mount(layer.digest, from: source) {
            progress(.layer("Mounted from \(source)", id: id))
            return
        }
        try await upload(layer, session: session) { current in
            progress(.progress("Pushing", id: id, current: current, total: layer.size))
        }
        progress(.layer("Pushed", id: id))
    }

    /// For each layer blob, another repository of `reference`'s registry that an image in the store names and that
    /// has the blob (so a registry may link it rather than receive it again), as dockerd remembers where blobs are.
    private func mountSources(for reference: ImageReference) throws(ImageError) -> [Digest: String] {
        var sources: [Digest: String] = [:]
        for image in try store.allImages() {
            for other in image.references.sorted(by: { $0.description < $1.description })
            where other.domain == reference.domain && other.path != reference.path && other.tag != nil {
                for layer in image.manifest.layers where sources[layer.digest] == nil {
                    sources[layer.digest] = RegistryClient.remotePath(of: other)
                }
            }
        }
        return sources
    }

    /// Uploads one stored blob from its file.
    private func upload(_ blob: Descriptor, session: RegistrySession,
                        progress: @escaping @Sendable (Int64) -> Void) async throws(ImageError)
    {
        guard store.blobs.contains(blob.digest) else { throw ImageError(.notFound, "blob \(blob.digest) not found") }
        let path = store.blobs.path(for: blob.digest)
        let size = store.blobs.size(of: blob.digest)
        let chunkSize = client.options.uploadChunkSize
        if size > chunkSize {
            try await session.uploadInChunks(blob.digest, size: size, chunkSize: chunkSize) { start, end in
                .stream(FileChunks(path: path, progress: progress, start: start, end: end),
                        length: .known(end - start))
            }
            return
        }
        try await session.upload(blob.digest, size: size) {
            .stream(FileChunks(path: path, progress: progress), length: .known(size))
        }
    }
}
