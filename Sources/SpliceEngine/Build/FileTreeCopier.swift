import Glibc
import SpliceImages
import SystemKit

/// Copies files, directories and symlinks for COPY and ADD into a staging directory, with the owner the step asks
/// for, keeping modes and modification times, and hashes what it reads for the build cache.
struct FileTreeCopier {
    /// The owner of everything written (`--chown`, else root).
    let uid: uid_t
    /// The group of everything written.
    let gid: gid_t

    /// Copies `source` (a host path) to `target`; a directory's content is merged into `target`.
    func copy(_ source: String, to target: String) throws(BuildFailure) {
        var info = stat()
        guard lstat(source, &info) == 0 else { throw BuildFailure("cannot stat \(source): errno \(errno)") }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            try makeDirectory(target, mode: info.st_mode & 0o7777)
            for name in Directory.entries(source).sorted() { try copy(source + "/" + name, to: target + "/" + name) }
            setTimes(target, info)
        case S_IFLNK:
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink(source, &buffer, buffer.count - 1)
            guard count >= 0 else { throw BuildFailure("cannot read link \(source)") }
            buffer[count] = 0
            try removeExisting(target)
            guard symlink(buffer, target) == 0 else { throw BuildFailure("cannot create \(target): errno \(errno)") }
            lchown(target, uid, gid)
        case S_IFREG:
            try removeExisting(target)
            try copyFile(source, to: target, mode: info.st_mode & 0o7777)
            setTimes(target, info)
        default:
            throw BuildFailure("cannot copy \(source): not a regular file, directory or symlink")
        }
    }

    /// Creates directory `path` (or keeps an existing one) with `mode` and the copier's owner.
    func makeDirectory(_ path: String, mode: mode_t) throws(BuildFailure) {
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw BuildFailure("cannot copy to \(path): it exists and is not a directory")
            }
        } else if mkdir(path, 0o700) != 0 {
            throw BuildFailure("cannot create \(path): errno \(errno)")
        }
        chmod(path, mode)
        lchown(path, uid, gid)
    }

    private func removeExisting(_ path: String) throws(BuildFailure) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR { throw BuildFailure("cannot overwrite directory \(path) with a file") }
        unlink(path)
    }

    private func copyFile(_ source: String, to target: String, mode: mode_t) throws(BuildFailure) {
        let input = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard input >= 0 else { throw BuildFailure("cannot open \(source): errno \(errno)") }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard output >= 0 else { throw BuildFailure("cannot create \(target): errno \(errno)") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw BuildFailure("cannot read \(source): errno \(errno)") }
            if count == 0 { break }
            var written = 0
            while written < count {
                let done = buffer[written..<count].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
                if done < 0 && errno == EINTR { continue }
                guard done > 0 else { throw BuildFailure("cannot write \(target): errno \(errno)") }
                written += done
            }
        }
        fchown(output, uid, gid)
        fchmod(output, mode)
    }

    private func setTimes(_ path: String, _ info: stat) {
        var times = [info.st_atim, info.st_mtim]
        utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }

    /// Hashes `path` (a host path) into `hasher`: names, types, modes, link targets and file content, so the
    /// cache key changes when any of it does.
    static func hash(_ path: String, as name: String, into hasher: inout ContentHasher) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        hasher.update("\(name) \(info.st_mode) \(info.st_size)")
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            for child in Directory.entries(path).sorted() {
                hash(path + "/" + child, as: name + "/" + child, into: &hasher)
            }
        case S_IFLNK:
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink(path, &buffer, buffer.count - 1)
            if count > 0 {
                hasher.update(String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        case S_IFREG:
            let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard descriptor >= 0 else { return }
            defer { close(descriptor) }
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                buffer[0..<count].withUnsafeBytes { hasher.update($0) }
            }
        default:
            break
        }
    }
}
