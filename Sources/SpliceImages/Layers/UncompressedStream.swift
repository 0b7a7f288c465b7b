import CArchive
import Crypto
import Glibc

/// A layer blob (any compression libarchive detects) read once and decompressed, every uncompressed byte hashed and
/// counted on its way to the tar reader that consumes it: the layer's diff id and size come from the same pass that
/// extracts it. `drain()` hashes what the tar reader left (the end-of-archive padding).
final class UncompressedStream {
    /// The raw reader of the compressed input.
    private let reader: OpaquePointer
    /// The buffer handed to the consumer.
    private let buffer: UnsafeMutableRawBufferPointer
    /// The hash of the uncompressed bytes read so far.
    private var hasher = SHA256()
    /// The uncompressed bytes read so far.
    private(set) var size: Int64 = 0
    /// Whether the input ended.
    private var ended = false
    /// The first read failure, with libarchive's words.
    private(set) var failure: ImageError?

    /// Opens `path` (a file or `/dev/fd/N`) for decompression.
    init(path: String) throws(ImageError) {
        guard let reader = archive_read_new() else { throw ImageError(.internal, "archive_read_new failed") }
        archive_read_support_filter_all(reader)
        archive_read_support_format_raw(reader)
        archive_read_support_format_empty(reader)
        guard archive_read_open_filename(reader, path, 64 * 1024) == ARCHIVE_OK else {
            let message = ArchiveMessage.of(reader)
            archive_read_free(reader)
            throw ImageError(.invalidArgument, "cannot open layer \(path): \(message)")
        }
        var entry: OpaquePointer?
        let header = archive_read_next_header(reader, &entry)
        guard header == ARCHIVE_OK || header == ARCHIVE_WARN || header == ARCHIVE_EOF else {
            let message = ArchiveMessage.of(reader)
            archive_read_free(reader)
            throw ImageError(.invalidArgument, "cannot read layer \(path): \(message)")
        }
        self.reader = reader
        ended = header == ARCHIVE_EOF
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit {
        archive_read_free(reader)
        buffer.deallocate()
    }

    /// Reads the next uncompressed piece into the buffer and points `output` at it; 0 at the end, -1 on failure.
    func read(into output: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        guard !ended else { return 0 }
        let count = archive_read_data(reader, buffer.baseAddress, buffer.count)
        if count < 0 {
            failure = ImageError(.invalidArgument, "cannot decompress the layer: \(ArchiveMessage.of(reader))")
            return -1
        }
        if count == 0 {
            ended = true
            return 0
        }
        let piece = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        hasher.update(bufferPointer: piece)
        size += Int64(count)
        output.pointee = UnsafeRawPointer(piece.baseAddress)
        return count
    }

    /// Reads (and hashes) the rest of the input and returns the digest and size of the whole stream.
    func drain() throws(ImageError) -> LayerSummary {
        var piece: UnsafeRawPointer?
        while true {
            let count = read(into: &piece)
            if count < 0 { throw failure ?? ImageError(.invalidArgument, "cannot decompress the layer") }
            if count == 0 { break }
        }
        return LayerSummary(diffID: Digest(finishing: hasher), size: size)
    }

    /// Opens `tarReader` on this stream (no filters: the stream is already decompressed).
    func attach(_ tarReader: OpaquePointer) throws(ImageError) {
        let opened = archive_read_open(
            tarReader, Unmanaged.passUnretained(self).toOpaque(), nil,
            { _, client, output in
                guard let client, let output else { return -1 }
                return Unmanaged<UncompressedStream>.fromOpaque(client).takeUnretainedValue().read(into: output)
            }, nil)
        guard opened == ARCHIVE_OK else {
            throw failure ?? ImageError(.invalidArgument, "cannot read the layer: \(ArchiveMessage.of(tarReader))")
        }
    }

    /// The diff id and size of the layer at `path`, decompressed and hashed without extracting anything.
    static func summary(ofLayerAt path: String) throws(ImageError) -> LayerSummary {
        try UncompressedStream(path: path).drain()
    }
}
