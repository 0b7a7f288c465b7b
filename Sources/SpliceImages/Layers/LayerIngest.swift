import CArchive
import Crypto
import Glibc

/// Turns a tar stream (plain, gzip, or any compression libarchive detects) into one stored gzip'd layer blob,
/// hashing the uncompressed tar for the diff id and the compressed blob for its address on the way.
enum LayerIngest {
    /// A layer written to `ingest/` but not yet moved to its content address.
    struct Pending {
        /// The compressed blob's writer, finished but not committed.
        let writer: BlobWriter
        /// The sha256 of the uncompressed tar.
        let diffID: Digest
        /// The uncompressed tar's size in bytes.
        let uncompressedSize: Int64

        /// Moves the blob to `blobs/sha256/` (call it under the store lock, so that garbage collection cannot
        /// remove the blob before an index references it) and returns its descriptor.
        func commit() throws(ImageError) -> Descriptor {
            let stored = try writer.commit()
            return Descriptor(
                mediaType: MediaType.layerGzip, digest: stored.digest, size: stored.size,
                annotations: [Image.uncompressedSizeAnnotation: String(uncompressedSize)])
        }
    }

    /// Reads the tar from `fileDescriptor` until end of file and writes it, gzip'd, to `store`'s ingest directory.
    static func ingest(from fileDescriptor: Int32, into store: BlobStore) throws(ImageError) -> Pending {
        guard let reader = archive_read_new() else { throw ImageError(.internal, "archive_read_new failed") }
        defer { archive_read_free(reader) }
        archive_read_support_filter_all(reader)
        archive_read_support_format_raw(reader)
        guard archive_read_open_fd(reader, fileDescriptor, 64 * 1024) == ARCHIVE_OK else {
            throw ImageError(.invalidArgument, "cannot read the layer: \(ArchiveMessage.of(reader))")
        }
        var entry: OpaquePointer?
        let header = archive_read_next_header(reader, &entry)
        if header == ARCHIVE_EOF { throw ImageError(.invalidArgument, "the layer tar is empty") }
        guard header == ARCHIVE_OK || header == ARCHIVE_WARN else {
            throw ImageError(.invalidArgument, "cannot read the layer: \(ArchiveMessage.of(reader))")
        }

        let sink = CompressedSink(writer: try BlobWriter(store: store))
        guard let compressor = archive_write_new() else { throw ImageError(.internal, "archive_write_new failed") }
        defer { archive_write_free(compressor) }
        archive_write_add_filter_gzip(compressor)
        archive_write_set_format_raw(compressor)
        archive_write_set_bytes_in_last_block(compressor, 1)
        archive_write_set_options(compressor, "gzip:!timestamp,gzip:compression-level=1")
        let opened = archive_write_open2(
            compressor, Unmanaged.passUnretained(sink).toOpaque(), nil,
            { _, client, buffer, length in
                guard let client, let buffer else { return -1 }
                let sink = Unmanaged<CompressedSink>.fromOpaque(client).takeUnretainedValue()
                do throws(ImageError) {
                    try sink.writer.write(UnsafeRawBufferPointer(start: buffer, count: length))
                    return length
                } catch {
                    sink.failure = error
                    return -1
                }
            }, nil, nil)
        guard opened == ARCHIVE_OK, let rawEntry = archive_entry_new() else {
            throw ImageError(.internal, "cannot start compressing: \(ArchiveMessage.of(compressor))")
        }
        defer { archive_entry_free(rawEntry) }
        archive_entry_set_filetype(rawEntry, UInt32(Glibc.S_IFREG))
        archive_entry_set_pathname(rawEntry, "layer.tar")
        guard archive_write_header(compressor, rawEntry) == ARCHIVE_OK else {
            throw sink.failure ?? ImageError(.internal, "cannot start compressing: \(ArchiveMessage.of(compressor))")
        }

        var hasher = SHA256()
        var size: Int64 = 0
        var firstBlock: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = archive_read_data(reader, buffer.baseAddress, buffer.count)
            if count < 0 { throw ImageError(.invalidArgument, "cannot read the layer: \(ArchiveMessage.of(reader))") }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            hasher.update(bufferPointer: chunk)
            if firstBlock.count < 512 { firstBlock.append(contentsOf: chunk.prefix(512 - firstBlock.count)) }
            if archive_write_data(compressor, chunk.baseAddress, chunk.count) < 0 {
                throw sink.failure ?? ImageError(.internal, "cannot compress: \(ArchiveMessage.of(compressor))")
            }
            size += Int64(count)
        }
        guard isTarHeader(firstBlock) else { throw ImageError(.invalidArgument, "the input is not a tar archive") }
        guard archive_write_close(compressor) == ARCHIVE_OK else {
            throw sink.failure ?? ImageError(.internal, "cannot compress: \(ArchiveMessage.of(compressor))")
        }
        return Pending(writer: sink.writer, diffID: Digest(finishing: hasher), uncompressedSize: size)
    }

    /// Whether `block` starts a tar: a ustar (or GNU) header, or the zero block of an empty archive.
    static func isTarHeader(_ block: [UInt8]) -> Bool {
        guard block.count == 512 else { return false }
        if block.allSatisfy({ $0 == 0 }) { return true }
        return Array(block[257..<262]) == Array("ustar".utf8)
    }
}

/// Receives libarchive's compressed output for a `BlobWriter`, keeping the first failure.
private final class CompressedSink {
    let writer: BlobWriter
    var failure: ImageError?

    init(writer: BlobWriter) { self.writer = writer }
}
