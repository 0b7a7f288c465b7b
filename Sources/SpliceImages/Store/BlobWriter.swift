import Crypto
import Glibc
import SystemKit

/// Streams one blob into the store: bytes go to a temporary file in `ingest/` while they are hashed, and
/// `commit` renames the file to `blobs/sha256/<hex>` only when the digest is the expected one.
// One task at a time owns a writer: it is handed from the downloading task to the committing one, never shared.
final class BlobWriter: @unchecked Sendable {
    private let store: BlobStore
    private let temporaryPath: String
    private let descriptor: FileDescriptor
    private var hasher = SHA256()
    private var committed = false
    /// The bytes written so far.
    private(set) var size: Int64 = 0

    /// Opens a fresh temporary file in the store's ingest directory.
    init(store: BlobStore) throws(ImageError) {
        self.store = store
        temporaryPath = "\(store.ingestDirectory)/\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        do {
            descriptor = try FileDescriptor.open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        } catch {
            throw .system(error)
        }
    }

    /// Appends and hashes `buffer`. Wraps `write(2)`.
    func write(_ buffer: UnsafeRawBufferPointer) throws(ImageError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        hasher.update(bufferPointer: buffer)
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor.rawValue, base + offset, buffer.count - offset)
            if written < 0 {
                if Errno.current == .interrupted { continue }
                throw .system(.current("write", path: temporaryPath))
            }
            offset += written
        }
        size += Int64(buffer.count)
    }

    /// Appends and hashes `bytes`.
    func write(_ bytes: [UInt8]) throws(ImageError) {
        var failure: ImageError?
        bytes.withUnsafeBytes { raw in
            do throws(ImageError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// The path of the temporary file (to read the blob back before it is committed).
    var pendingPath: String { temporaryPath }

    /// Fails with `internal` unless the bytes written so far have the digest `expected`.
    func verify(expected: Digest) throws(ImageError) {
        guard Digest(finishing: hasher) == expected else {
            throw ImageError(.internal, "filesystem layer verification failed for digest \(expected)")
        }
    }

    /// Syncs the file and moves it to its content address; fails with `invalidArgument` when `expected` differs.
    func commit(expected: Digest? = nil) throws(ImageError) -> (digest: Digest, size: Int64) {
        let digest = Digest(finishing: hasher)
        defer { discard() }
        if let expected, expected != digest {
            throw ImageError(.invalidArgument, "blob digest mismatch: expected \(expected), got \(digest)")
        }
        if fsync(descriptor.rawValue) != 0 { throw .system(.current("fsync", path: temporaryPath)) }
        let target = store.path(for: digest)
        if rename(temporaryPath, target) != 0 { throw .system(.current("rename", path: target)) }
        committed = true
        return (digest, size)
    }

    /// Removes the temporary file unless it was committed.
    func discard() {
        if !committed { unlink(temporaryPath) }
        committed = true
    }

    deinit { discard() }
}
