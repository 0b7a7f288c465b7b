import CArchiveLoader
#if canImport(Glibc)
import Glibc
#endif

/// The client's side of `splice cp`: a tar of a local path (as the docker CLI makes it: the top entry renamed, owners
/// 0 unless `-a`), and the tar from a container extracted into a local directory with libarchive's secure flags.
enum LocalTar {
    /// Writes a tar of `source` to the open file `fileDescriptor`, the top entry named `name` (a directory's entries
    /// below it). With `followLink` a symlink given as `source` is archived as what it points to.
    static func create(_ source: String, name: String, followLink: Bool, keepOwners: Bool, into fileDescriptor: Int32)
        throws(ClientError)
    {
        try loadLibrary()
        guard let disk = cls_archive_read_disk_new(), let writer = cls_archive_write_new() else {
            throw .client("cannot start a tar")
        }
        defer {
            cls_archive_read_free(disk)
            cls_archive_write_free(writer)
        }
        if followLink {
            cls_archive_read_disk_set_symlink_hybrid(disk)
        } else {
            cls_archive_read_disk_set_symlink_physical(disk)
        }
        cls_archive_read_disk_set_standard_lookup(disk)
        cls_archive_write_set_format_pax_restricted(writer)
        cls_archive_write_set_bytes_in_last_block(writer, 1)
        guard cls_archive_write_open_fd(writer, fileDescriptor) == ARCHIVE_OK,
            cls_archive_read_disk_open(disk, source) == ARCHIVE_OK
        else { throw .client("\(source): \(message(disk))") }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            guard let entry = cls_archive_entry_new() else { throw .client("cannot start a tar") }
            defer { cls_archive_entry_free(entry) }
            let status = cls_archive_read_next_header2(disk, entry)
            if status == ARCHIVE_EOF { break }
            guard status >= ARCHIVE_WARN else { throw .client("\(source): \(message(disk))") }
            cls_archive_read_disk_descend(disk)
            let path = cls_archive_entry_pathname(entry).map { String(cString: $0) } ?? source
            cls_archive_entry_set_pathname(entry, name + path.dropFirst(source.count))
            if !keepOwners {
                cls_archive_entry_set_uid(entry, 0)
                cls_archive_entry_set_gid(entry, 0)
                cls_archive_entry_set_uname(entry, nil)
                cls_archive_entry_set_gname(entry, nil)
            }
            guard cls_archive_write_header(writer, entry) >= ARCHIVE_WARN else {
                throw .client("\(path): \(message(writer))")
            }
            guard cls_archive_entry_filetype(entry) == UInt32(Glibc.S_IFREG), cls_archive_entry_size(entry) > 0 else {
                continue
            }
            while true {
                let count = cls_archive_read_data(disk, buffer.baseAddress, buffer.count)
                if count == 0 { break }
                guard count > 0, cls_archive_write_data(writer, buffer.baseAddress, count) >= 0 else {
                    throw .client("\(path): \(message(count < 0 ? disk : writer))")
                }
            }
        }
        guard cls_archive_write_close(writer) == ARCHIVE_OK else { throw .client("tar: \(message(writer))") }
    }

    /// Extracts the tar that `next` yields piece by piece into the existing `directory`, the top component of every
    /// entry replaced by `rename` when given; names with `..` or absolute names are refused.
    static func extract(into directory: String, rename: String?, next: @escaping () throws(ClientError) -> [UInt8]?)
        throws(ClientError)
    {
        try loadLibrary()
        let source = PieceSource(next)
        guard let reader = cls_archive_read_new(), let writer = cls_archive_write_disk_new() else {
            throw .client("cannot read the tar")
        }
        defer {
            cls_archive_read_free(reader)
            cls_archive_write_free(writer)
        }
        cls_archive_read_support_format_tar(reader)
        cls_archive_read_support_filter_all(reader)
        cls_archive_write_disk_set_options(
            writer,
            ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS
                | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_UNLINK)
        let opened = cls_archive_read_open(
            reader, Unmanaged.passUnretained(source).toOpaque(), nil,
            { _, client, buffer in
                guard let client, let buffer else { return -1 }
                let source = Unmanaged<PieceSource>.fromOpaque(client).takeUnretainedValue()
                return source.read(into: buffer)
            }, nil)
        guard opened == ARCHIVE_OK else { throw source.failure ?? .client("cannot read the tar: \(message(reader))") }
        // The client is single-threaded: extracting relative to the destination keeps libarchive's symlink checks to
        // the paths inside it.
        var saved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&saved, saved.count) != nil, chdir(directory) == 0 else {
            throw .client("cannot change to \(directory): \(String(cString: strerror(errno)))")
        }
        defer { _ = chdir(saved) }
        var entry: OpaquePointer?
        while true {
            let status = cls_archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            guard status >= ARCHIVE_WARN, let entry else {
                throw source.failure ?? .client("cannot read the tar: \(message(reader))")
            }
            let name = cls_archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            cls_archive_entry_set_pathname(entry, try renamed(name, rename))
            if let link = cls_archive_entry_hardlink(entry) {
                cls_archive_entry_set_hardlink(entry, try renamed(String(cString: link), rename))
            }
            guard cls_archive_write_header(writer, entry) >= ARCHIVE_WARN else {
                throw .client("cannot extract \(name): \(message(writer))")
            }
            if cls_archive_entry_size(entry) > 0 {
                var block: UnsafeRawPointer?
                var size = 0
                var offset: la_int64_t = 0
                while true {
                    let read = cls_archive_read_data_block(reader, &block, &size, &offset)
                    if read == ARCHIVE_EOF { break }
                    guard read >= ARCHIVE_WARN, cls_archive_write_data_block(writer, block, size, offset) >= ARCHIVE_WARN
                    else { throw source.failure ?? .client("cannot extract \(name): \(message(writer))") }
                }
            }
            guard cls_archive_write_finish_entry(writer) >= ARCHIVE_WARN else {
                throw .client("cannot extract \(name): \(message(writer))")
            }
        }
        guard cls_archive_write_close(writer) >= ARCHIVE_WARN else { throw .client("tar: \(message(writer))") }
    }

    /// `name` with its first component replaced by `rename`; refuses absolute names and `..`.
    static func renamed(_ name: String, _ rename: String?) throws(ClientError) -> String {
        var parts = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !name.hasPrefix("/"), !parts.contains("..") else {
            throw .client("refusing archive entry \(name): it leaves the destination")
        }
        guard let rename, !parts.isEmpty else { return name }
        parts[0] = rename
        return parts.joined(separator: "/")
    }

    /// Opens libarchive (once per process), or says why it cannot.
    private static func loadLibrary() throws(ClientError) {
        if let failure = cls_archive_load() {
            throw .client("splice cp needs libarchive (Debian's libarchive13): \(String(cString: failure))")
        }
    }

    private static func message(_ archive: OpaquePointer?) -> String {
        archive.flatMap { cls_archive_error_string($0) }.map { String(cString: $0) } ?? "unknown archive error"
    }
}

/// Feeds libarchive from a pull function, each piece copied into storage that stays put while libarchive reads it.
private final class PieceSource {
    let next: () throws(ClientError) -> [UInt8]?
    var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    var failure: ClientError?

    init(_ next: @escaping () throws(ClientError) -> [UInt8]?) { self.next = next }

    deinit { storage.deallocate() }

    func read(into buffer: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        var piece: [UInt8] = []
        do {
            while piece.isEmpty {
                guard let next = try next() else { return 0 }
                piece = next
            }
        } catch {
            failure = error
            return -1
        }
        if piece.count > storage.count {
            storage.deallocate()
            storage = UnsafeMutableRawBufferPointer.allocate(byteCount: piece.count, alignment: 16)
        }
        piece.withUnsafeBytes { storage.copyMemory(from: $0) }
        buffer.pointee = UnsafeRawPointer(storage.baseAddress)
        return piece.count
    }
}
