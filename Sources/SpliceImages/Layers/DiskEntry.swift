import CArchive
import Glibc

/// One file of a directory tree as libarchive reads it from disk (owner, mode, times, symlink target, xattrs),
/// used to tell overlay whiteouts and opaque directories apart and to write them into a layer tar.
final class DiskEntry {
    /// The xattrs overlayfs uses to mark an opaque directory (the second one with `userxattr`).
    static let opaqueAttributes = ["trusted.overlay.opaque", "user.overlay.opaque"]

    /// The libarchive entry (owned).
    let entry: OpaquePointer
    /// The `lstat` of the file.
    let info: stat

    /// Reads the file at `path` through `reader` (an `archive_read_disk` handle); nil when it is gone.
    init?(path: String, reader: OpaquePointer) {
        var info = stat()
        guard lstat(path, &info) == 0, let entry = archive_entry_new() else { return nil }
        archive_entry_copy_sourcepath(entry, path)
        archive_entry_copy_pathname(entry, path)
        guard archive_read_disk_entry_from_file(reader, entry, -1, &info) >= ARCHIVE_WARN else {
            archive_entry_free(entry)
            return nil
        }
        self.entry = entry
        self.info = info
    }

    deinit { archive_entry_free(entry) }

    /// The file type bits.
    var format: mode_t { info.st_mode & S_IFMT }

    /// Whether this is a directory.
    var isDirectory: Bool { format == S_IFDIR }

    /// Whether this is an overlay whiteout: a character device 0:0.
    var isWhiteout: Bool { format == S_IFCHR && info.st_rdev == 0 }

    /// The xattrs as name → value.
    var attributes: [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        archive_entry_xattr_reset(entry)
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK {
            guard let name else { continue }
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
            result[String(cString: name)] = bytes
        }
        return result
    }

    /// Whether this is a directory overlayfs marks opaque (`trusted.overlay.opaque=y`).
    var isOpaque: Bool {
        guard isDirectory else { return false }
        let attributes = attributes
        return Self.opaqueAttributes.contains { attributes[$0] == Array("y".utf8) }
    }

    /// Drops overlayfs' own xattrs (`trusted.overlay.*`, `user.overlay.*`) so they do not travel in a layer.
    func removeOverlayAttributes() {
        let kept = attributes.filter { !$0.key.hasPrefix("trusted.overlay.") && !$0.key.hasPrefix("user.overlay.") }
        archive_entry_xattr_clear(entry)
        for (name, value) in kept.sorted(by: { $0.key < $1.key }) {
            value.withUnsafeBytes { archive_entry_xattr_add_entry(entry, name, $0.baseAddress, $0.count) }
        }
    }

    /// Opens an `archive_read_disk` reader that reads xattrs and does not look up user or group names.
    static func makeReader() throws(ImageError) -> OpaquePointer {
        guard let reader = archive_read_disk_new() else { throw ImageError(.internal, "archive_read_disk_new failed") }
        archive_read_disk_set_symlink_physical(reader)
        archive_read_disk_set_behavior(reader, ARCHIVE_READDISK_NO_TRAVERSE_MOUNTS)
        return reader
    }
}
