import Foundation
import Glibc
import SpliceImages
import TestSupport

/// A temporary directory removed at deinit.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/splice-images-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CommandFailure(command: "mkdtemp", status: errno, stderr: "") }
        path = String(cString: made)
    }

    /// Creates a file with `contents` (and its parent directories).
    func write(_ relative: String, _ contents: String, mode: Int = 0o644) throws {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
        chmod(url.path, mode_t(mode))
    }

    deinit { _ = try? run("/bin/rm", ["-rf", path]) }
}

/// Shell helpers for building tars and checking digests independently of the store.
enum Shell {
    /// Runs `script` with `/bin/sh -c`.
    @discardableResult
    static func sh(_ script: String) throws -> String { try run("/bin/sh", ["-c", script]) }

    /// `sha256sum` of a file, as `sha256:<hex>`.
    static func sha256(_ path: String) throws -> String {
        "sha256:" + String(try sh("sha256sum '\(path)'").prefix(64))
    }

    /// Builds a tar of `directory`'s contents (`tar -C dir -c .`), gzip'd when asked.
    static func tar(_ directory: String, to output: String, gzip: Bool = false) throws {
        try sh("tar -C '\(directory)' -c . \(gzip ? "| gzip -n" : "") > '\(output)'")
    }

    /// Builds a tar with Python's tarfile from `entries` lines: `file NAME CONTENT`, `dir NAME`,
    /// `symlink NAME TARGET`, `hardlink NAME TARGET`, `chardev NAME`, `blockdev NAME`, `bigfile NAME BYTES` (for
    /// malicious names `tar` refuses to write).
    static func pythonTar(_ output: String, _ entries: [String]) throws {
        let script = """
            import io, sys, tarfile
            out = tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT)
            for line in sys.argv[2:]:
                kind, name, rest = (line.split(' ', 2) + [''])[:3]
                info = tarfile.TarInfo(name)
                info.mtime = 1700000000
                if kind == 'file':
                    data = rest.encode()
                    info.size = len(data)
                    out.addfile(info, io.BytesIO(data))
                    continue
                if kind == 'dir':
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                elif kind == 'symlink':
                    info.type, info.linkname = tarfile.SYMTYPE, rest
                elif kind == 'hardlink':
                    info.type, info.linkname = tarfile.LNKTYPE, rest
                elif kind == 'chardev':
                    info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
                elif kind == 'blockdev':
                    info.type, info.devmajor, info.devminor = tarfile.BLKTYPE, 8, 0
                elif kind == 'bigfile':
                    info.size = int(rest)
                    out.addfile(info, io.BytesIO(b'x' * info.size))
                    continue
                out.addfile(info)
            out.close()
            """
        try run("/usr/bin/python3", ["-c", script, output] + entries)
    }
}

extension ImageStore {
    /// Imports the tar file at `path`.
    func importFile(_ path: String, _ options: ImportOptions = ImportOptions()) throws -> ImageID {
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        return try importImage(from: descriptor, options: options)
    }
}

/// A small rootfs tar in a fresh directory, plus a store beside it.
struct StoreFixture {
    let directory: TemporaryDirectory
    let store: ImageStore
    let tarPath: String

    init(gzip: Bool = false) throws {
        directory = try TemporaryDirectory()
        store = try ImageStore(root: directory.path + "/images")
        try directory.write("rootfs/etc/hostname", "splice\n")
        try directory.write("rootfs/bin/hello", "#!/bin/sh\necho hello\n", mode: 0o755)
        tarPath = directory.path + (gzip ? "/rootfs.tar.gz" : "/rootfs.tar")
        try Shell.tar(directory.path + "/rootfs", to: tarPath, gzip: gzip)
    }

    /// Reads a JSON blob from the store as a dictionary.
    func json(_ digest: Digest) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: store.blobs.path(for: digest)))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
