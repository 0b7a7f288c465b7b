import CArchive
import Glibc
import SystemKit

/// A tar made of named files and bytes (`docker save`), written to a file descriptor as it goes.
final class TarWriter {
    private let writer: OpaquePointer
    private let modified: Int

    /// Starts a tar written to `fileDescriptor` (left open); every entry gets `modified` as its time.
    init(writingTo fileDescriptor: Int32, modified: Int = 0) throws(ImageError) {
        guard let writer = archive_write_new() else { throw ImageError(.internal, "archive_write_new failed") }
        self.writer = writer
        self.modified = modified
        archive_write_set_format_pax_restricted(writer)
        archive_write_set_bytes_in_last_block(writer, 1)
        guard archive_write_open_fd(writer, fileDescriptor) == ARCHIVE_OK else {
            throw ImageError(.internal, "cannot start the tar: \(ArchiveMessage.of(writer))")
        }
    }

    deinit { archive_write_free(writer) }

    /// Adds a directory entry.
    func addDirectory(_ name: String) throws(ImageError) {
        try header(name, type: Glibc.S_IFDIR, mode: 0o755, size: 0)
    }

    /// Adds a file holding `bytes`.
    func add(_ name: String, bytes: [UInt8]) throws(ImageError) {
        try header(name, type: Glibc.S_IFREG, mode: 0o644, size: Int64(bytes.count))
        let written = bytes.withUnsafeBytes { archive_write_data(writer, $0.baseAddress, $0.count) }
        guard written >= 0 else { throw ImageError(.internal, "cannot write \(name): \(ArchiveMessage.of(writer))") }
    }

    /// Adds the file at `path` as `name`.
    func add(_ name: String, file path: String) throws(ImageError) {
        let file: FileDescriptor
        do { file = try FileDescriptor.open(path, O_RDONLY) } catch { throw .system(error) }
        var info = stat()
        guard fstat(file.rawValue, &info) == 0 else { throw .system(.current("fstat", path: path)) }
        try header(name, type: Glibc.S_IFREG, mode: 0o644, size: Int64(info.st_size))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        var remaining = Int64(info.st_size)
        while remaining > 0 {
            let count = read(file.rawValue, buffer.baseAddress, Int(min(Int64(buffer.count), remaining)))
            if count < 0, Errno.current == .interrupted { continue }
            guard count > 0 else { throw .system(.current("read", path: path)) }
            guard archive_write_data(writer, buffer.baseAddress, count) >= 0 else {
                throw ImageError(.internal, "cannot write \(name): \(ArchiveMessage.of(writer))")
            }
            remaining -= Int64(count)
        }
    }

    /// Writes the end of the archive.
    func finish() throws(ImageError) {
        guard archive_write_close(writer) == ARCHIVE_OK else {
            throw ImageError(.internal, "cannot finish the tar: \(ArchiveMessage.of(writer))")
        }
    }

    private func header(_ name: String, type: mode_t, mode: mode_t, size: Int64) throws(ImageError) {
        guard let entry = archive_entry_new() else { throw ImageError(.internal, "archive_entry_new failed") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, name)
        archive_entry_set_filetype(entry, UInt32(type))
        archive_entry_set_perm(entry, mode)
        archive_entry_set_size(entry, size)
        archive_entry_set_mtime(entry, modified, 0)
        guard archive_write_header(writer, entry) >= ARCHIVE_WARN else {
            throw ImageError(.internal, "cannot write \(name): \(ArchiveMessage.of(writer))")
        }
    }
}
