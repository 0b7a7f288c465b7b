import CArchive
import Glibc
import SystemKit

/// Writes a tar (pax, ustar where it suffices) of a file tree that lies inside a container's root: `docker cp`'s
/// `GET /containers/{id}/archive` and `docker export`. The tree is walked one component at a time relative to
/// directory descriptors with `O_NOFOLLOW`, so a symlink inside it is archived as a link and never followed out.
public final class TreeArchiver {
    private let writer: OpaquePointer
    /// The archive name of each hard-linked inode written so far.
    private var linked: [String: String] = [:]
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    /// Starts a tar written to `fileDescriptor` (left open).
    public init(writingTo fileDescriptor: Int32) throws(ImageError) {
        guard let writer = archive_write_new() else { throw ImageError(.internal, "archive_write_new failed") }
        self.writer = writer
        archive_write_set_format_pax_restricted(writer)
        archive_write_set_bytes_in_last_block(writer, 1)
        guard archive_write_open_fd(writer, fileDescriptor) == ARCHIVE_OK else {
            throw ImageError(.internal, "cannot start the tar: \(ArchiveMessage.of(writer))")
        }
    }

    deinit {
        archive_write_free(writer)
        buffer.deallocate()
    }

    /// Adds the entry `name` of the open directory `parent` (not followed when a symlink) as `archiveName`, and for a
    /// directory everything below it (`archiveName/…`).
    public func add(_ name: String, in parent: Int32, as archiveName: String) throws(ImageError) {
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if Errno.current == .noSuchFileOrDirectory { return }  // removed meanwhile in a running container
            throw .system(.current("fstatat", path: archiveName))
        }
        let kind = info.st_mode & Glibc.S_IFMT
        if kind == Glibc.S_IFDIR {
            let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw .system(.current("openat", path: archiveName)) }
            let directory = FileDescriptor(owning: fd)
            if !archiveName.isEmpty { try writeHeader(info, archiveName + "/") }
            try addChildren(of: directory.rawValue, prefix: archiveName.isEmpty ? "" : archiveName + "/")
            return
        }
        if kind == Glibc.S_IFREG, info.st_nlink > 1 {
            let identity = "\(info.st_dev):\(info.st_ino)"
            if let first = linked[identity] {
                try writeHeader(info, archiveName, hardlink: first)
                return
            }
            linked[identity] = archiveName
        }
        switch kind {
        case Glibc.S_IFLNK:
            let target: String
            do { target = try RootDirectory.readLink(parent, name, path: archiveName) } catch { throw .system(error) }
            try writeHeader(info, archiveName, symlink: target)
        case Glibc.S_IFREG:
            let fd = openat(parent, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw .system(.current("openat", path: archiveName)) }
            let file = FileDescriptor(owning: fd)
            try writeHeader(info, archiveName)
            try copyData(from: file.rawValue, size: Int64(info.st_size), name: archiveName)
        case Glibc.S_IFSOCK:
            return  // as Go's archive/tar, sockets are not archived
        default:
            try writeHeader(info, archiveName)
        }
    }

    /// Adds every entry of the open directory `directory`, sorted by name, each as `prefix + name`.
    public func addChildren(of directory: Int32, prefix: String) throws(ImageError) {
        for name in try Self.names(in: directory, path: prefix) { try add(name, in: directory, as: prefix + name) }
    }

    /// Writes the end of the archive.
    public func finish() throws(ImageError) {
        guard archive_write_close(writer) == ARCHIVE_OK else {
            throw ImageError(.internal, "cannot finish the tar: \(ArchiveMessage.of(writer))")
        }
    }

    /// The names in the open directory `directory` (without `.` and `..`), sorted.
    static func names(in directory: Int32, path: String) throws(ImageError) -> [String] {
        let fd = openat(directory, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0, let handle = fdopendir(fd) else {
            if fd >= 0 { close(fd) }
            throw .system(.current("opendir", path: path))
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    private func writeHeader(_ info: stat, _ name: String, symlink: String? = nil, hardlink: String? = nil)
        throws(ImageError)
    {
        guard let entry = archive_entry_new() else { throw ImageError(.internal, "archive_entry_new failed") }
        defer { archive_entry_free(entry) }
        var copy = info
        archive_entry_copy_stat(entry, &copy)
        archive_entry_set_pathname(entry, name)
        if let symlink { archive_entry_set_symlink(entry, symlink) }
        if let hardlink {
            archive_entry_set_hardlink(entry, hardlink)
            archive_entry_set_size(entry, 0)
        }
        if info.st_mode & Glibc.S_IFMT != Glibc.S_IFREG || hardlink != nil { archive_entry_set_size(entry, 0) }
        guard archive_write_header(writer, entry) >= ARCHIVE_WARN else {
            throw ImageError(.internal, "cannot write \(name) to the tar: \(ArchiveMessage.of(writer))")
        }
    }

    /// Copies exactly `size` bytes (zeros when the file shrank meanwhile, as the header already promised them).
    private func copyData(from fd: Int32, size: Int64, name: String) throws(ImageError) {
        var remaining = size
        while remaining > 0 {
            let want = Int(min(Int64(buffer.count), remaining))
            var count = read(fd, buffer.baseAddress, want)
            if count < 0 {
                if Errno.current == .interrupted { continue }
                throw .system(.current("read", path: name))
            }
            if count == 0 {
                UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]).initializeMemory(as: UInt8.self, repeating: 0)
                count = want
            }
            guard archive_write_data(writer, buffer.baseAddress, count) >= 0 else {
                throw ImageError(.internal, "cannot write \(name) to the tar: \(ArchiveMessage.of(writer))")
            }
            remaining -= Int64(count)
        }
    }
}
