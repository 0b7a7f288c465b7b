import FoundationEssentials
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// A manifest as fetched: its exact bytes, media type and digest.
public struct FetchedManifest: Sendable {
    /// The bytes as served (their digest is the manifest's digest).
    public let bytes: [UInt8]
    /// The media type from `Content-Type` or the body.
    public let mediaType: String
    /// The digest of `bytes`.
    public let digest: Digest
}

extension RegistrySession {
    /// The largest manifest or config accepted.
    static let documentLimit = 8 << 20

    /// `GET /v2/<name>/manifests/<tag or digest>`; `notFound` in dockerd's words when the registry has none.
    public func manifest(_ tagOrDigest: String, displayName: String) async throws(ImageError) -> FetchedManifest {
        let response = try await send(.GET, "/v2/\(repository)/manifests/\(tagOrDigest)",
                                      headers: [("Accept", RegistryClient.manifestAccept)])
        let bytes = try await RegistrySession.collect(response, limit: RegistrySession.documentLimit)
        guard response.status == .ok else {
            if response.status == .notFound {
                let detail = RegistryFailure.describe(bytes) ?? "manifest unknown"
                throw ImageError(.notFound, "manifest for \(displayName) not found: \(detail)")
            }
            throw RegistryFailure.unexpected(response, body: bytes, what: "cannot fetch the manifest of \(displayName)")
        }
        let digest = Digest.of(bytes)
        if let expected = Digest(parsing: tagOrDigest), expected != digest {
            throw ImageError(.internal, "manifest verification failed for digest \(expected)")
        }
        let contentType = response.headers.first(name: "Content-Type")?.split(separator: ";").first
            .map { String($0).trimmingSpaces() }
        let mediaType: String
        switch try ManifestDocument(bytes: bytes, contentType: contentType) {
        case .manifest(let manifest): mediaType = manifest.mediaType ?? contentType ?? MediaType.dockerManifest
        case .index: mediaType = contentType ?? MediaType.imageIndex
        }
        return FetchedManifest(bytes: bytes, mediaType: mediaType, digest: digest)
    }

    /// A small blob (a config), verified against its digest.
    public func smallBlob(_ digest: Digest) async throws(ImageError) -> [UInt8] {
        let response = try await send(.GET, "/v2/\(repository)/blobs/\(digest)")
        let bytes = try await RegistrySession.collect(response, limit: RegistrySession.documentLimit)
        guard response.status == .ok else {
            throw RegistryFailure.unexpected(response, body: bytes, what: "cannot fetch blob \(digest)")
        }
        guard Digest.of(bytes) == digest else {
            throw ImageError(.internal, "blob verification failed for digest \(digest)")
        }
        return bytes
    }

    /// Streams blob `digest` into `writer`, calling `progress` with the bytes received so far.
    /// With `pipe`, each buffer also goes to the extraction reading the pipe.
    func download(_ digest: Digest, into writer: BlobWriter, pipe: LayerPipe? = nil, progress: (Int64) -> Void)
        async throws(ImageError)
    {
        let response = try await send(.GET, "/v2/\(repository)/blobs/\(digest)")
        guard response.status == .ok else {
            let bytes = try await RegistrySession.collect(response, limit: 1 << 20)
            throw RegistryFailure.unexpected(response, body: bytes, what: "cannot fetch blob \(digest)")
        }
        do {
            for try await buffer in response.body {
                try buffer.withUnsafeReadableBytes { (raw) throws(ImageError) in try writer.write(raw) }
                if let pipe { try await pipe.write(buffer) }
                progress(writer.size)
            }
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError(.internal, "cannot download blob \(digest): \(error)")
        }
    }

    /// Whether the registry has blob `digest` in this repository (`HEAD`).
    public func hasBlob(_ digest: Digest) async throws(ImageError) -> Bool {
        let response = try await send(.HEAD, "/v2/\(repository)/blobs/\(digest)")
        _ = try? await response.body.collect(upTo: 1 << 16)
        switch response.status {
        case .ok: return true
        case .notFound: return false
        default: throw RegistryFailure.unexpected(response, body: [], what: "cannot check blob \(digest)")
        }
    }

    /// Uploads a blob monolithically: `POST /v2/<name>/blobs/uploads/`, then one `PUT <location>?digest=` with
    /// the whole body, which `body` makes.
    public func upload(_ digest: Digest, size: Int64, body: @escaping @Sendable () -> HTTPClientRequest.Body)
        async throws(ImageError)
    {
        let location = try await startUpload(digest)
        try await finishUpload(digest, at: location, size: size, body: body)
    }

    /// Uploads a blob in chunks, as the distribution spec's chunked upload: `POST`, then for each `chunkSize` bytes
    /// a `PATCH` with `Content-Range: start-end` to the location the previous answer named (checking the `Range`
    /// the registry reports), then a `PUT <location>?digest=` without a body. `body(start, end)` makes the bytes
    /// `start..<end`.
    public func uploadInChunks(_ digest: Digest, size: Int64, chunkSize: Int64,
                               body: @escaping @Sendable (Int64, Int64) -> HTTPClientRequest.Body)
        async throws(ImageError)
    {
        var location = try await startUpload(digest)
        var start: Int64 = 0
        while start < size {
            let end = min(start + max(chunkSize, 1), size)
            let range = "\(start)-\(end - 1)"
            let first = start
            let patch = try await send(.PATCH, location, headers: [
                ("Content-Type", "application/octet-stream"), ("Content-Length", String(end - start)),
                ("Content-Range", range),
            ], body: { body(first, end) })
            let patchBody = try await RegistrySession.collect(patch, limit: 1 << 20)
            guard patch.status == .accepted, let next = patch.headers.first(name: "Location") else {
                throw RegistryFailure.unexpected(patch, body: patchBody,
                                                 what: "cannot upload bytes \(range) of blob \(digest)")
            }
            if let received = patch.headers.first(name: "Range"), received != "0-\(end - 1)",
               received != "bytes=0-\(end - 1)"
            {
                throw ImageError(.internal, "the registry has bytes \(received) of blob \(digest) after a chunk "
                                    + "ending at \(end - 1)")
            }
            location = absoluteUploadURL(next)
            start = end
        }
        try await finishUpload(digest, at: location, size: 0) { .bytes(ByteBuffer()) }
    }

    /// `POST /v2/<name>/blobs/uploads/`: the absolute URL of the new upload.
    private func startUpload(_ digest: Digest) async throws(ImageError) -> String {
        let start = try await send(.POST, "/v2/\(repository)/blobs/uploads/", headers: [("Content-Length", "0")])
        let startBody = try await RegistrySession.collect(start, limit: 1 << 20)
        guard start.status == .accepted, let location = start.headers.first(name: "Location") else {
            throw RegistryFailure.unexpected(start, body: startBody, what: "cannot start the upload of \(digest)")
        }
        return absoluteUploadURL(location)
    }

    /// The `PUT <location>?digest=` that ends an upload, with the last (or only) bytes.
    private func finishUpload(_ digest: Digest, at location: String, size: Int64,
                              body: @escaping @Sendable () -> HTTPClientRequest.Body) async throws(ImageError)
    {
        let url = location + (location.contains("?") ? "&" : "?") + "digest=" + URLQuery.escape(digest.description)
        let put = try await send(.PUT, url, headers: [("Content-Type", "application/octet-stream"),
                                                      ("Content-Length", String(size))], body: body)
        let putBody = try await RegistrySession.collect(put, limit: 1 << 20)
        guard put.status == .created else {
            throw RegistryFailure.unexpected(put, body: putBody, what: "cannot upload blob \(digest)")
        }
    }

    /// An upload `Location` (absolute, or a path on the endpoint) as an absolute URL.
    private func absoluteUploadURL(_ location: String) -> String {
        location.hasPrefix("http://") || location.hasPrefix("https://")
            ? location : endpoint.baseURL + (location.hasPrefix("/") ? "" : "/") + location
    }

    /// Asks the registry to link blob `digest` from repository `source` into this one
    /// (`POST /v2/<name>/blobs/uploads/?mount=&from=`); false when it would rather have an upload.
    public func mount(_ digest: Digest, from source: String) async throws(ImageError) -> Bool {
        let query = "mount=\(URLQuery.escape(digest.description))&from=\(URLQuery.escape(source))"
        let response = try await send(.POST, "/v2/\(repository)/blobs/uploads/?\(query)",
                                      headers: [("Content-Length", "0")])
        _ = try? await response.body.collect(upTo: 1 << 20)
        if response.status == .accepted, let location = response.headers.first(name: "Location") {
            // An upload was started instead; cancel it (a fresh one follows), ignoring the answer.
            let url = location.hasPrefix("http://") || location.hasPrefix("https://")
                ? location : endpoint.baseURL + (location.hasPrefix("/") ? "" : "/") + location
            if let cancelled = try? await send(.DELETE, url) { _ = try? await cancelled.body.collect(upTo: 1 << 16) }
        }
        return response.status == .created
    }

    /// `PUT /v2/<name>/manifests/<tag>` with the manifest's exact bytes.
    public func putManifest(_ bytes: [UInt8], mediaType: String, tag: String) async throws(ImageError) {
        let response = try await send(.PUT, "/v2/\(repository)/manifests/\(tag)",
                                      headers: [("Content-Type", mediaType)],
                                      body: { .bytes(ByteBuffer(bytes: bytes)) })
        let body = try await RegistrySession.collect(response, limit: 1 << 20)
        guard response.status == .created || response.status == .ok else {
            throw RegistryFailure.unexpected(response, body: body, what: "cannot put the manifest of \(tag)")
        }
    }
}

extension RegistrySession {
    /// `GET /v2/<name>/tags/list`: the repository's tags, sorted.
    public func tags(displayName: String) async throws(ImageError) -> [String] {
        let response = try await send(.GET, "/v2/\(repository)/tags/list")
        let bytes = try await RegistrySession.collect(response, limit: RegistrySession.documentLimit)
        guard response.status == .ok else {
            throw RegistryFailure.unexpected(response, body: bytes, what: "cannot list the tags of \(displayName)")
        }
        struct Answer: Decodable { var tags: [String]? }
        let answer = try JSONCoding.decode(Answer.self, from: bytes, what: "the tag list of \(displayName)")
        return (answer.tags ?? []).sorted()
    }
}
