import Glibc
import SystemKit

/// Path checks and removals inside an unpack target, done by Splice itself (whiteouts) rather than libarchive.
enum PathTree {
    /// The components of a tar entry name with `.`, empty parts and leading slashes dropped; `invalidArgument`
    /// when a `..` component would climb out of the target.
    static func components(of name: String) throws(ImageError) -> [String] {
        var result: [String] = []
        for part in name.split(separator: "/") where part != "." {
            if part == ".." { throw ImageError(.invalidArgument, "invalid path in layer: \(name) escapes the target") }
            result.append(String(part))
        }
        return result
    }

    /// Makes the directories `components` under `root`, refusing to pass through a symlink or a non-directory.
    static func ensureDirectory(_ components: [String], under root: String) throws(ImageError) -> String {
        var path = root
        for component in components {
            path += "/" + component
            var info = stat()
            if lstat(path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw ImageError(.invalidArgument, "invalid path in layer: \(path) is not a directory")
                }
            } else if mkdir(path, 0o755) != 0, Errno.current != .exists {
                throw .system(.current("mkdir", path: path))
            }
        }
        return path
    }

    /// Removes `path` and, for a directory, everything below it, never following symlinks; absence is success.
    static func removeTree(_ path: String) throws(ImageError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if Errno.current == .noSuchFileOrDirectory { return }
            throw .system(.current("lstat", path: path))
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in Directory.entries(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0, Errno.current != .noSuchFileOrDirectory {
                throw .system(.current("rmdir", path: path))
            }
        } else if unlink(path) != 0, Errno.current != .noSuchFileOrDirectory {
            throw .system(.current("unlink", path: path))
        }
    }
}
