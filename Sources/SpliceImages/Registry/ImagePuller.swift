import Glibc
import Synchronization

/// Pulls images from registries into the store: resolves the manifest (and the linux/amd64 entry of an index)
/// before anything is streamed, then fetches the config and the missing layers, several at once, each verified
/// against its digest and its config diff id (hashed while it is unpacked) before the image is recorded with its
/// layers' uncompressed sizes. A failure leaves no blob, layer or tag behind.
public struct ImagePuller: Sendable {
    /// The store pulled into.
    public let store: ImageStore
    /// The registry client.
    public let client: RegistryClient
    /// Where layer extraction runs.
    public let blocking: BlockingRunner
    /// How many layers download at once.
    public var concurrentDownloads = 3

    /// A pull whose manifest is resolved.
    public struct Plan: Sendable {
        /// The normalised reference (`bb:latest`, `127.0.0.1:5000/x@sha256:…`).
        public let reference: ImageReference
        /// The session that found the manifest.
        let session: RegistrySession
        /// What the reference named (an index for multi-platform images); its digest is the one reported.
        public let top: FetchedManifest
        /// The image manifest chosen.
        let manifest: FetchedManifest
        /// Its decoded form.
        let image: ImageManifest
    }

    /// Creates a puller.
    public init(store: ImageStore, client: RegistryClient, blocking: @escaping BlockingRunner) {
        self.store = store
        self.client = client
        self.blocking = blocking
    }

    /// Finds the manifest of `reference`, trying the mirrors first for Docker Hub; `notFound` in dockerd's words
    /// when no endpoint has it.
    public func resolve(_ reference: ImageReference, credentials: RegistryCredentials?) async throws(ImageError)
        -> Plan
    {
        let domain = reference.domain ?? ImageReference.defaultDomain
        let endpoints = try await client.pullEndpoints(for: domain)
        let path = RegistryClient.remotePath(of: reference)
        let selector = reference.digest?.description ?? reference.tag ?? "latest"
        var failure = ImageError(.internal, "no endpoint for \(domain)")
        for endpoint in endpoints {
            let session = client.session(endpoint, repository: path, credentials: endpoint.isMirror ? nil : credentials)
            do throws(ImageError) {
                let top = try await session.manifest(selector, displayName: reference.description)
                switch try ManifestDocument(bytes: top.bytes, contentType: top.mediaType) {
                case .manifest(let image):
                    return Plan(reference: reference, session: session, top: top, manifest: top, image: image)
                case .index(let entries):
                    let entry = try ManifestDocument.select(from: entries, reference: reference.description)
                    let chosen = try await session.manifest(entry.digest.description,
                                                            displayName: reference.description)
                    guard case .manifest(let image) = try ManifestDocument(bytes: chosen.bytes,
                                                                           contentType: chosen.mediaType)
                    else { throw ImageError(.internal, "the index of \(reference) names another index") }
                    return Plan(reference: reference, session: session, top: top, manifest: chosen, image: image)
                }
            } catch {
                failure = error
                if !endpoint.isMirror { throw error }
            }
        }
        throw failure
    }

    /// The tags of `reference`'s repository (for `pull -a`), from the first endpoint that lists them.
    public func tags(of reference: ImageReference, credentials: RegistryCredentials?) async throws(ImageError)
        -> [String]
    {
        let domain = reference.domain ?? ImageReference.defaultDomain
        var failure = ImageError(.internal, "no endpoint for \(domain)")
        for endpoint in try await client.pullEndpoints(for: domain) {
            let session = client.session(endpoint, repository: RegistryClient.remotePath(of: reference),
                                         credentials: endpoint.isMirror ? nil : credentials)
            do throws(ImageError) {
                let tags = try await session.tags(displayName: reference.repository)
                if !tags.isEmpty { return tags }
                failure = ImageError(.notFound, "repository \(reference.repository) has no tags")
            } catch {
                failure = error
            }
        }
        throw failure
    }

    /// Fetches what the store lacks of `plan`'s image and records it under the reference.
    public func pull(_ plan: Plan, progress: @escaping @Sendable (TransferEvent) -> Void) async throws(ImageError)
        -> ImageStore.PullOutcome
    {
        let reference = plan.reference
        progress(.status("Pulling from \(plan.session.repository)",
                         id: reference.tag ?? reference.digest?.description))
        let configBytes = try await plan.session.smallBlob(plan.image.config.digest)
        let configuration = try JSONCoding.decode(ImageConfiguration.self, from: configBytes, what: "image config")
        guard configuration.rootfs.diffIDs.count == plan.image.layers.count else {
            throw ImageError(.internal, "the image config of \(reference) lists \(configuration.rootfs.diffIDs.count) "
                                + "layers, its manifest \(plan.image.layers.count)")
        }
        let layers = zip(plan.image.layers, configuration.rootfs.diffIDs).map { Layer(blob: $0, diffID: $1) }
        var missing: [Layer] = []
        var seen: Set<Digest> = []
        for layer in layers where seen.insert(layer.blob.digest).inserted {
            let id = String(layer.blob.digest.hex.prefix(12))
            if store.blobs.contains(layer.blob.digest) {
                progress(.layer("Already exists", id: id))
            } else {
                progress(.layer("Pulling fs layer", id: id))
                missing.append(layer)
            }
        }
        let fetched = LayerSet()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                func startNext() {
                    guard next < missing.count else { return }
                    let layer = missing[next]
                    next += 1
                    group.addTask { try await fetch(layer, session: plan.session, into: fetched, progress: progress) }
                }
                for _ in 0..<max(1, concurrentDownloads) { startNext() }
                while try await group.next() != nil { startNext() }
            }
        } catch {
            await fetched.discard(store: store)
            if let error = error as? ImageError { throw error }
            throw ImageError(.internal, "pull of \(reference) failed: \(error)")
        }
        let writers = await fetched.writers
        let sizes = await fetched.sizes
        let outcome: ImageStore.PullOutcome
        do {
            outcome = try store.storePulled(manifest: plan.manifest, config: configBytes, layers: writers,
                                            sizes: sizes, of: layers, reference: reference)
        } catch {
            await fetched.discard(store: store)
            throw error
        }
        progress(.status("Digest: \(plan.top.digest)", id: nil))
        switch outcome {
        case .downloaded: progress(.status("Status: Downloaded newer image for \(reference)", id: nil))
        case .upToDate: progress(.status("Status: Image is up to date for \(reference)", id: nil))
        }
        return outcome
    }

    /// Downloads one layer into the ingest directory, verifies it and unpacks it.
    private func fetch(_ layer: Layer, session: RegistrySession, into fetched: LayerSet,
                       progress: @escaping @Sendable (TransferEvent) -> Void) async throws
    {
        let id = String(layer.blob.digest.hex.prefix(12))
        let writer = try BlobWriter(store: store.blobs)
        await fetched.add(writer)
        let total = layer.blob.size
        var reported: Int64 = 0
        let report: (Int64) -> Void = { current in
            if current - reported >= 256 * 1024 || current == total {
                reported = current
                progress(.progress("Downloading", id: id, current: current, total: total))
            }
        }
        let paths = store.layerPaths(layer)
        let store = self.store
        let wasUnpacked = access(paths.marker, F_OK) == 0
        // The layer is unpacked (or, when it already is, only decompressed) as it arrives: its diff id and size
        // come from that one pass; the blob digest is checked at its end, before it counts as unpacked.
        let pipe = try LayerPipe()
        let digest = layer.blob.digest
        let blocking = self.blocking
        // An extraction that fails has drained the pipe (the download is over); one whose thread never started
        // has not, so the download must stop feeding it.
        let measured = MeasuredSize()
        async let extraction: Void = {
            do {
                try await blocking {
                    let size = try store.unpackStreaming(layer, from: pipe) { () throws(ImageError) in
                        try writer.verify(expected: digest)
                    }
                    measured.value.withLock { $0 = size }
                }
            } catch {
                pipe.abandon()
                throw error
            }
        }()
        do {
            try await session.download(digest, into: writer, pipe: pipe, progress: report)
        } catch {
            pipe.finishWriting()
            _ = try? await extraction
            throw error
        }
        pipe.finishWriting()
        progress(.layer("Verifying Checksum", id: id))
        try await extraction
        await fetched.addSize(measured.value.withLock { $0 }, of: digest)
        if !wasUnpacked { await fetched.addUnpacked(paths.directory) }
        progress(.layer("Download complete", id: id))
        if !wasUnpacked { progress(.progress("Extracting", id: id, current: total, total: total)) }
        progress(.layer("Pull complete", id: id))
    }
}

/// The uncompressed size one layer's extraction measured, handed from its thread to the pull.
private final class MeasuredSize: Sendable {
    /// The size in bytes.
    let value = Mutex<Int64>(0)
}

/// The blobs and unpacked layer directories one pull made, to commit or to remove.
actor LayerSet {
    /// The downloaded blobs, not yet committed.
    private(set) var writers: [BlobWriter] = []
    /// Layer directories this pull unpacked.
    private var unpacked: [String] = []

    /// Keeps `writer`.
    func add(_ writer: BlobWriter) { writers.append(writer) }

    /// The uncompressed size of each fetched layer, by blob digest.
    private(set) var sizes: [Digest: Int64] = [:]

    /// Remembers the uncompressed size of the layer blob `digest`.
    func addSize(_ size: Int64, of digest: Digest) { sizes[digest] = size }

    /// Remembers an unpacked directory.
    func addUnpacked(_ directory: String) { unpacked.append(directory) }

    /// Removes what the pull made: the temporary blobs and the layers it unpacked.
    func discard(store: ImageStore) {
        for writer in writers { writer.discard() }
        for directory in unpacked { try? PathTree.removeTree(directory) }
        writers = []
        unpacked = []
    }
}
