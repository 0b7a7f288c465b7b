import CArchive
import Glibc
import SystemKit

/// Extracts a layer tar (any compression) into a directory through libarchive's secure extraction, turning OCI
/// whiteouts into what overlayfs wants or applying them.
public enum LayerUnpacker {
    /// The prefix that marks a whiteout entry.
    static let whiteoutPrefix = ".wh."
    /// The entry that marks its directory opaque.
    static let opaqueMarker = ".wh..wh..opq"
    /// The xattr overlayfs reads for an opaque directory.
    static let opaqueAttribute = "trusted.overlay.opaque"

    /// The libarchive flags: symlink, `..` checks always; owner, mode, times, xattrs and ACLs only as root.
    ///
    /// Entry names are rewritten to absolute paths under the target (the daemon cannot `chdir`, it is
    /// multi-threaded), so `ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS` cannot be set; absolute names are instead made
    /// relative by `PathTree.components(of:)` before libarchive sees them.
    static var extractionFlags: Int32 {
        var flags = ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT
        if geteuid() == 0 {
            flags |=
                ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_XATTR
                | ARCHIVE_EXTRACT_ACL
        }
        return flags
    }

    /// The most bytes one layer may expand to unless the caller says otherwise (a decompression bomb stops here).
    public static let defaultMaximumBytes: Int64 = 64 << 30

    /// Unpacks the tar at `archivePath` into the existing `directory`. Refused, with nothing written outside
    /// `directory`: `..` names, absolute names and link targets, writes through symlinks (libarchive's secure flags),
    /// device nodes, and entries adding up to more than `maximumBytes`. The archive is read once: the digest and
    /// size of its uncompressed stream (the layer's diff id and size) are computed as it is extracted.
    @discardableResult
    public static func unpack(archiveAt archivePath: String, into directory: String, whiteouts: WhiteoutMode,
                              maximumBytes: Int64 = defaultMaximumBytes) throws(ImageError) -> LayerSummary
    {
        guard let resolved = realpath(directory, nil) else { throw .system(.current("realpath", path: directory)) }
        let root = String(cString: resolved)
        free(resolved)

        guard let reader = archive_read_new() else { throw ImageError(.internal, "archive_read_new failed") }
        defer { archive_read_free(reader) }
        archive_read_support_format_tar(reader)
        let stream = try UncompressedStream(path: archivePath)
        try stream.attach(reader)
        guard let writer = archive_write_disk_new() else {
            throw ImageError(.internal, "archive_write_disk_new failed")
        }
        defer { archive_write_free(writer) }
        archive_write_disk_set_options(writer, extractionFlags)

        var written: Set<String> = []
        var expanded: Int64 = 0
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            guard status >= ARCHIVE_WARN, let entry else {
                throw stream.failure
                    ?? ImageError(.invalidArgument, "cannot read layer \(archivePath): \(ArchiveMessage.of(reader))")
            }
            let name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            try refuseHostile(entry, name: name)
            expanded += max(archive_entry_size(entry), 0)
            if expanded > maximumBytes {
                throw ImageError(.invalidArgument, "refusing layer: it expands past the limit of \(maximumBytes) bytes")
            }
            let components = try PathTree.components(of: name)
            if let last = components.last, last.hasPrefix(whiteoutPrefix) {
                try applyWhiteout(components, root: root, mode: whiteouts, written: written)
                continue
            }
            let relative = components.joined(separator: "/")
            archive_entry_set_pathname(entry, relative.isEmpty ? root : root + "/" + relative)
            if let link = archive_entry_hardlink(entry) {
                let target = try PathTree.components(of: String(cString: link)).joined(separator: "/")
                archive_entry_set_hardlink(entry, root + "/" + target)
            }
            if archive_write_header(writer, entry) < ARCHIVE_WARN {
                throw ImageError(.invalidArgument, "cannot extract \(name): \(ArchiveMessage.of(writer))")
            }
            if archive_entry_size(entry) > 0 { try copyData(from: reader, to: writer, name: name, stream: stream) }
            if archive_write_finish_entry(writer) < ARCHIVE_WARN {
                throw ImageError(.invalidArgument, "cannot extract \(name): \(ArchiveMessage.of(writer))")
            }
            written.insert(relative)
        }
        if archive_write_close(writer) < ARCHIVE_WARN {
            throw ImageError(.internal, "cannot finish extracting: \(ArchiveMessage.of(writer))")
        }
        return try stream.drain()
    }

    /// Refuses absolute names and hard link targets, and device nodes.
    static func refuseHostile(_ entry: OpaquePointer, name: String) throws(ImageError) {
        if name.hasPrefix("/") { throw ImageError(.invalidArgument, "refusing layer entry with absolute path \(name)") }
        if let link = archive_entry_hardlink(entry), String(cString: link).hasPrefix("/") {
            throw ImageError(.invalidArgument, "refusing layer entry \(name): hard link to absolute path "
                             + String(cString: link))
        }
        let kind = archive_entry_filetype(entry)
        if archive_entry_hardlink(entry) == nil, kind == UInt32(Glibc.S_IFCHR) || kind == UInt32(Glibc.S_IFBLK) {
            throw ImageError(.invalidArgument, "refusing layer entry \(name): device nodes are not extracted")
        }
    }

    /// Copies the current entry's data blocks (sparse-aware) from the reader to the disk writer.
    private static func copyData(from reader: OpaquePointer, to writer: OpaquePointer, name: String,
                                 stream: UncompressedStream) throws(ImageError)
    {
        var block: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(reader, &block, &size, &offset)
            if status == ARCHIVE_EOF { return }
            guard status >= ARCHIVE_WARN else {
                throw stream.failure
                    ?? ImageError(.invalidArgument, "cannot read \(name): \(ArchiveMessage.of(reader))")
            }
            if archive_write_data_block(writer, block, size, offset) < ARCHIVE_WARN {
                throw ImageError(.invalidArgument, "cannot extract \(name): \(ArchiveMessage.of(writer))")
            }
        }
    }

    /// Sets `trusted.overlay.opaque=y` on an existing directory, through libarchive (Glibc has no xattr calls),
    /// with a disk writer that changes nothing else about it.
    private static func markOpaque(_ path: String) throws(ImageError) {
        guard let writer = archive_write_disk_new(), let entry = archive_entry_new() else {
            throw ImageError(.internal, "archive_write_disk_new failed")
        }
        defer {
            archive_entry_free(entry)
            archive_write_free(writer)
        }
        archive_write_disk_set_options(
            writer, ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT)
        archive_entry_set_pathname(entry, path)
        archive_entry_set_filetype(entry, UInt32(Glibc.S_IFDIR))
        archive_entry_set_perm(entry, 0o755)
        let value: [UInt8] = Array("y".utf8)
        archive_entry_xattr_add_entry(entry, opaqueAttribute, value, value.count)
        if archive_write_header(writer, entry) != ARCHIVE_OK || archive_write_finish_entry(writer) != ARCHIVE_OK
            || archive_write_close(writer) != ARCHIVE_OK
        {
            throw ImageError(.internal, "cannot mark \(path) opaque: \(ArchiveMessage.of(writer))")
        }
    }

    /// Writes or applies one whiteout entry.
    private static func applyWhiteout(_ components: [String], root: String, mode: WhiteoutMode, written: Set<String>)
        throws(ImageError)
    {
        let parent = Array(components.dropLast())
        let marker = components[components.count - 1]
        let parentPath = try PathTree.ensureDirectory(parent, under: root)
        if marker == opaqueMarker {
            switch mode {
            case .overlay:
                try markOpaque(parentPath)
            case .apply:
                let prefix = parent.joined(separator: "/")
                for child in Directory.entries(parentPath) {
                    let relative = prefix.isEmpty ? child : prefix + "/" + child
                    let keep = written.contains(relative) || written.contains { $0.hasPrefix(relative + "/") }
                    if !keep { try PathTree.removeTree(parentPath + "/" + child) }
                }
            }
            return
        }
        let hidden = String(marker.dropFirst(whiteoutPrefix.count))
        guard !hidden.isEmpty, hidden != ".", hidden != ".." else {
            throw ImageError(.invalidArgument, "invalid whiteout in layer: \(components.joined(separator: "/"))")
        }
        let target = parentPath + "/" + hidden
        try PathTree.removeTree(target)
        if mode == .overlay, mknod(target, Glibc.S_IFCHR, 0) != 0 { throw .system(.current("mknod", path: target)) }
    }
}
