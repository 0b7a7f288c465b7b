import CArchive
import Glibc
import SystemKit

/// Writes an overlay upper directory as a layer tar in the OCI/Docker format: names relative to the root, overlay
/// whiteouts (0:0 character devices) as empty `.wh.<name>` files, an opaque directory followed by its
/// `.wh..wh..opq` marker, overlayfs' own xattrs dropped, hard links kept as links.
enum LayerArchiver {
    /// Writes `upper` as an uncompressed PAX tar to `fileDescriptor`.
    static func write(_ upper: UpperDirectory, to fileDescriptor: Int32) throws(ImageError) {
        let reader = try DiskEntry.makeReader()
        defer { archive_read_free(reader) }
        guard let writer = archive_write_new() else { throw ImageError(.internal, "archive_write_new failed") }
        defer { archive_write_free(writer) }
        archive_write_set_format_pax_restricted(writer)
        archive_write_set_bytes_in_last_block(writer, 1)
        guard archive_write_open_fd(writer, fileDescriptor) == ARCHIVE_OK else {
            throw ImageError(.internal, "cannot write the layer: \(ArchiveMessage.of(writer))")
        }
        guard let resolver = archive_entry_linkresolver_new() else {
            throw ImageError(.internal, "archive_entry_linkresolver_new failed")
        }
        defer { archive_entry_linkresolver_free(resolver) }
        archive_entry_linkresolver_set_strategy(resolver, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        let context = Context(upper: upper, reader: reader, writer: writer, resolver: resolver, buffer: buffer)
        try context.walk("")
        guard archive_write_close(writer) == ARCHIVE_OK else {
            throw ImageError(.internal, "cannot finish the layer: \(ArchiveMessage.of(writer))")
        }
    }

    /// The handles of one write.
    private struct Context {
        let upper: UpperDirectory
        let reader: OpaquePointer
        let writer: OpaquePointer
        let resolver: OpaquePointer
        let buffer: UnsafeMutableRawBufferPointer

        /// Writes what directory `relative` (`""` or `/dir`) holds.
        func walk(_ relative: String) throws(ImageError) {
            for name in Directory.entries(upper.path + relative).sorted() {
                let item = relative + "/" + name
                if upper.excluded.contains(item) { continue }
                guard let entry = DiskEntry(path: upper.path + item, reader: reader) else { continue }
                let tarName = String(item.dropFirst())
                // Sockets cannot travel in a tar; dockerd leaves them out of layers too.
                if entry.format == S_IFSOCK { continue }
                if entry.isWhiteout {
                    try writeMarker(relative.isEmpty ? ".wh." + name : String(relative.dropFirst()) + "/.wh." + name)
                    continue
                }
                let opaque = entry.isOpaque
                entry.removeOverlayAttributes()
                archive_entry_copy_pathname(entry.entry, tarName)
                archive_entry_set_uname(entry.entry, nil)
                archive_entry_set_gname(entry.entry, nil)
                archive_entry_unset_atime(entry.entry)
                archive_entry_unset_ctime(entry.entry)
                archive_entry_unset_birthtime(entry.entry)
                try writeEntry(entry.entry, source: upper.path + item)
                if entry.isDirectory {
                    if opaque { try writeMarker(tarName + "/.wh..wh..opq") }
                    try walk(item)
                }
            }
        }

        /// Writes an empty regular file entry (a whiteout or the opaque marker).
        func writeMarker(_ name: String) throws(ImageError) {
            guard let marker = archive_entry_new() else { throw ImageError(.internal, "archive_entry_new failed") }
            defer { archive_entry_free(marker) }
            archive_entry_copy_pathname(marker, name)
            archive_entry_set_filetype(marker, UInt32(Glibc.S_IFREG))
            archive_entry_set_perm(marker, 0)
            archive_entry_set_size(marker, 0)
            guard archive_write_header(writer, marker) == ARCHIVE_OK else {
                throw ImageError(.internal, "cannot write \(name) into the layer: \(ArchiveMessage.of(writer))")
            }
        }

        /// Writes one entry through the link resolver, with its data when it is the first of its inode.
        func writeEntry(_ original: OpaquePointer, source: String) throws(ImageError) {
            var entry: OpaquePointer? = original
            var spare: OpaquePointer?
            archive_entry_linkify(resolver, &entry, &spare)
            guard let entry else { return }
            guard archive_write_header(writer, entry) >= ARCHIVE_WARN else {
                throw ImageError(.internal, "cannot write \(source) into the layer: \(ArchiveMessage.of(writer))")
            }
            if archive_entry_filetype(entry) == UInt32(Glibc.S_IFREG), archive_entry_size(entry) > 0 {
                try copyData(from: source, size: archive_entry_size(entry))
            }
        }

        /// Copies a regular file's bytes into the current entry (padded with zeros if it shrank meanwhile).
        func copyData(from source: String, size: Int64) throws(ImageError) {
            let descriptor = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard descriptor >= 0 else { throw .system(.current("open", path: source)) }
            defer { close(descriptor) }
            var remaining = size
            while remaining > 0 {
                let count = read(descriptor, buffer.baseAddress, min(buffer.count, Int(remaining)))
                if count < 0 && errno == EINTR { continue }
                if count < 0 { throw .system(.current("read", path: source)) }
                if count == 0 {
                    buffer.initializeMemory(as: UInt8.self, repeating: 0)
                    while remaining > 0 {
                        let part = min(buffer.count, Int(remaining))
                        _ = archive_write_data(writer, buffer.baseAddress, part)
                        remaining -= Int64(part)
                    }
                    return
                }
                guard archive_write_data(writer, buffer.baseAddress, count) >= 0 else {
                    throw ImageError(.internal, "cannot write \(source) into the layer: \(ArchiveMessage.of(writer))")
                }
                remaining -= Int64(count)
            }
        }
    }
}
