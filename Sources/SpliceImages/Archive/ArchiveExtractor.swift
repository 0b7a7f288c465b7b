import CArchive
import Glibc
import SystemKit

/// Extracts a tar into a directory of a container's root (`docker cp` into a container), each entry's parent opened
/// inside the root (`RootDirectory`) and the entry made relative to that descriptor, so nothing is written outside the
/// root. Hostile archives are refused with a clear error: names with `..` or absolute names, an entry through a
/// symlink the same archive made, hard links leaving the target, device nodes, and more bytes than the limit.
public final class ArchiveExtractor {
    private let root: RootDirectory
    private let target: [String]
    private let options: ExtractOptions
    /// Symlinks this archive made, as paths relative to the target.
    private var madeLinks: Set<String> = []
    /// Directories whose times are set at the end (their entries change them meanwhile).
    private var directoryTimes: [([String], timespec)] = []
    private var expanded: Int64 = 0

    /// An extractor into `target` (components from the root, already resolved) of `root`.
    public init(root: RootDirectory, target: [String], options: ExtractOptions) {
        self.root = root
        self.target = target
        self.options = options
    }

    /// The components of a tar entry name; `invalidArgument` for an absolute name or a `..` component.
    public static func checkedComponents(_ name: String, what: String = "path") throws(ImageError) -> [String] {
        if name.hasPrefix("/") {
            throw ImageError(.invalidArgument, "refusing archive entry with absolute \(what) \(name)")
        }
        let components = RootDirectory.components(name)
        if components.contains("..") {
            throw ImageError(.invalidArgument, "refusing archive entry \(name): its \(what) leaves the target")
        }
        return components
    }

    /// Reads the tar (any compression libarchive detects) from `fileDescriptor` and extracts every entry.
    public func extract(from fileDescriptor: Int32) throws(ImageError) {
        guard let reader = archive_read_new() else { throw ImageError(.internal, "archive_read_new failed") }
        defer { archive_read_free(reader) }
        archive_read_support_filter_all(reader)
        archive_read_support_format_tar(reader)
        guard archive_read_open_fd(reader, fileDescriptor, 64 * 1024) == ARCHIVE_OK else {
            throw ImageError(.invalidArgument, "cannot read the archive: \(ArchiveMessage.of(reader))")
        }
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            guard status >= ARCHIVE_WARN, let entry else {
                throw ImageError(.invalidArgument, "cannot read the archive: \(ArchiveMessage.of(reader))")
            }
            try extractEntry(entry, reader: reader)
        }
        for (components, time) in directoryTimes.reversed() {
            guard let parent = try? openParent(components) else { continue }
            var times = [time, time]
            utimensat(parent.rawValue, components[components.count - 1], &times, AT_SYMLINK_NOFOLLOW)
        }
    }

    private func extractEntry(_ entry: OpaquePointer, reader: OpaquePointer) throws(ImageError) {
        let name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        let components = try Self.checkedComponents(name)
        guard !components.isEmpty else { return }  // "./": the target itself
        for end in 1..<components.count where madeLinks.contains(components[0..<end].joined(separator: "/")) {
            throw ImageError(
                .invalidArgument, "refusing archive entry \(name): it goes through a symlink the archive made")
        }
        let kind = archive_entry_filetype(entry)
        let hardlink = archive_entry_hardlink(entry).map { String(cString: $0) }
        if hardlink == nil, kind == UInt32(Glibc.S_IFCHR) || kind == UInt32(Glibc.S_IFBLK) {
            throw ImageError(.invalidArgument, "refusing archive entry \(name): device nodes are not extracted")
        }
        let size = archive_entry_size(entry)
        expanded += max(size, 0)
        if let limit = options.maximumBytes, expanded > limit {
            throw ImageError(.invalidArgument, "refusing archive: it expands past the limit of \(limit) bytes")
        }

        let full = target + components
        let parent = try ensureDirectory(Array(full.dropLast()), name: name)
        let last = components[components.count - 1]
        let isDirectory = hardlink == nil && kind == UInt32(Glibc.S_IFDIR)
        try clearWay(for: last, in: parent.rawValue, isDirectory: isDirectory, name: name)

        let perm = mode_t(archive_entry_perm(entry))
        if let hardlink {
            let source = try Self.checkedComponents(hardlink, what: "link target")
            let sourceFD: FileDescriptor
            do {
                sourceFD = try root.open("/" + (target + source).joined(separator: "/"), RootDirectory.pathOnly,
                                         followLast: false)
            } catch { throw ImageError(.invalidArgument, "cannot link \(name) to \(hardlink): \(error)", cause: error) }
            guard linkat(sourceFD.rawValue, "", parent.rawValue, last, RootDirectory.emptyPath) == 0 else {
                throw .system(.current("linkat", path: name))
            }
            return
        }
        switch UInt32(kind) {
        case UInt32(Glibc.S_IFDIR):
            if mkdirat(parent.rawValue, last, 0o700) != 0, Errno.current != .exists {
                throw .system(.current("mkdirat", path: name))
            }
        case UInt32(Glibc.S_IFLNK):
            let link = archive_entry_symlink(entry).map { String(cString: $0) } ?? ""
            guard symlinkat(link, parent.rawValue, last) == 0 else { throw .system(.current("symlinkat", path: name)) }
            madeLinks.insert(components.joined(separator: "/"))
        case UInt32(Glibc.S_IFIFO):
            guard mknodat(parent.rawValue, last, Glibc.S_IFIFO | 0o600, 0) == 0 else {
                throw .system(.current("mknodat", path: name))
            }
        case UInt32(Glibc.S_IFREG):
            let fd = openat(parent.rawValue, last, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw .system(.current("openat", path: name)) }
            let file = FileDescriptor(owning: fd)
            try copyData(from: reader, to: file.rawValue, size: size, name: name)
        default:
            throw ImageError(.invalidArgument, "refusing archive entry \(name): unsupported type")
        }
        let (uid, gid) = options.owner(UInt32(archive_entry_uid(entry)), UInt32(archive_entry_gid(entry)))
        if fchownat(parent.rawValue, last, uid, gid, AT_SYMLINK_NOFOLLOW) != 0 {
            throw .system(.current("fchownat", path: name))
        }
        let time = timespec(tv_sec: archive_entry_mtime(entry), tv_nsec: Int(archive_entry_mtime_nsec(entry)))
        if kind != UInt32(Glibc.S_IFLNK) {
            if fchmodat(parent.rawValue, last, perm & 0o7777, 0) != 0 {
                throw .system(.current("fchmodat", path: name))
            }
        }
        if isDirectory {
            directoryTimes.append((full, time))
        } else {
            var times = [time, time]
            utimensat(parent.rawValue, last, &times, AT_SYMLINK_NOFOLLOW)
        }
    }

    /// Opens the directory `components` (from the root), creating what is missing inside the root.
    private func ensureDirectory(_ components: [String], name: String) throws(ImageError) -> FileDescriptor {
        do {
            return try root.open("/" + components.joined(separator: "/"), RootDirectory.pathOnly | O_DIRECTORY)
        } catch where error.errno == .noSuchFileOrDirectory && !components.isEmpty {
            let parent = try ensureDirectory(Array(components.dropLast()), name: name)
            let last = components[components.count - 1]
            if mkdirat(parent.rawValue, last, 0o755) != 0, Errno.current != .exists {
                throw .system(.current("mkdirat", path: name))
            }
            do {
                return try root.open("/" + components.joined(separator: "/"), RootDirectory.pathOnly | O_DIRECTORY)
            } catch {
                throw .system(error)
            }
        } catch {
            throw ImageError(.invalidArgument, "cannot extract \(name): \(error)", cause: error)
        }
    }

    /// The parent directory of `components`.
    private func openParent(_ components: [String]) throws(SystemError) -> FileDescriptor {
        try root.open("/" + components.dropLast().joined(separator: "/"), RootDirectory.pathOnly | O_DIRECTORY)
    }

    /// Removes what is in the way of `last` (as docker does), unless both are directories; with
    /// `noOverwriteDirNonDir`, refuses to replace a directory with a non-directory or the reverse.
    private func clearWay(for last: String, in parent: Int32, isDirectory: Bool, name: String) throws(ImageError) {
        var info = stat()
        guard fstatat(parent, last, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return }
        let existingIsDirectory = info.st_mode & Glibc.S_IFMT == Glibc.S_IFDIR
        if existingIsDirectory && isDirectory { return }
        if options.noOverwriteDirNonDir {
            if existingIsDirectory {
                throw ImageError(.invalidArgument, "cannot overwrite directory \"\(name)\" with non-directory")
            }
            if isDirectory {
                throw ImageError(.invalidArgument, "cannot overwrite non-directory \"\(name)\" with directory")
            }
        }
        try Self.removeTree(last, in: parent, name: name)
    }

    /// Removes `name` in the open directory `parent` and everything below it, never following a symlink.
    static func removeTree(_ last: String, in parent: Int32, name: String) throws(ImageError) {
        if unlinkat(parent, last, 0) == 0 || Errno.current == .noSuchFileOrDirectory { return }
        guard Errno.current.rawValue == EISDIR else { throw .system(.current("unlinkat", path: name)) }
        let fd = openat(parent, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .system(.current("openat", path: name)) }
        let directory = FileDescriptor(owning: fd)
        for child in try TreeArchiver.names(in: directory.rawValue, path: name) {
            try removeTree(child, in: directory.rawValue, name: name + "/" + child)
        }
        if unlinkat(parent, last, AT_REMOVEDIR) != 0 { throw .system(.current("unlinkat", path: name)) }
    }

    /// Writes the current entry's data (holes kept) to `fd`, which ends up `total` bytes long.
    private func copyData(from reader: OpaquePointer, to fd: Int32, size total: Int64, name: String)
        throws(ImageError)
    {
        var block: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(reader, &block, &size, &offset)
            if status == ARCHIVE_EOF { break }
            guard status >= ARCHIVE_WARN else {
                throw ImageError(.invalidArgument, "cannot read \(name): \(ArchiveMessage.of(reader))")
            }
            var done = 0
            while done < size {
                let count = pwrite(fd, block.map { $0 + done }, size - done, off_t(offset) + off_t(done))
                if count < 0 {
                    if Errno.current == .interrupted { continue }
                    throw .system(.current("write", path: name))
                }
                done += count
            }
        }
        if ftruncate(fd, off_t(max(total, 0))) != 0 { throw .system(.current("ftruncate", path: name)) }
    }
}
