import Glibc

/// Replaces files so that readers see either the old or the new content, never a torn write.
public enum AtomicFile {
    /// Writes `bytes` to a temporary file beside `path`, syncs it (unless `durable` is false), and renames it
    /// over `path`. Without the sync a reader (a restarted daemon too) still sees the old or the new content, but
    /// after a power loss the file may be empty or gone: for state that only describes processes of this boot.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600, durable: Bool = true)
        throws(SystemError)
    {
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
        do throws(SystemError) {
            // The error names the file being written (as Docker's "write PATH: no space left on device").
            do { try descriptor.write(bytes) } catch {
                throw SystemError(error.operation, errno: error.errno, path: path)
            }
            if durable {
                try retryingInterrupts("fsync", path: temporary) { fsync(descriptor.rawValue) }
            }
            try retryingInterrupts("rename", path: path) { rename(temporary, path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Reads the whole file, or nil when it does not exist.
    public static func read(_ path: String) throws(SystemError) -> [UInt8]? {
        do {
            return try FileDescriptor.open(path).readAll()
        } catch where error.errno == .noSuchFileOrDirectory {
            return nil
        }
    }

    /// Creates `path` and its missing parents as directories. Wraps `mkdir(2)`.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o700) throws(SystemError) {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) != 0, Errno.current != .exists { throw .current("mkdir", path: prefix) }
        }
    }

    /// Removes a file; a missing file is not an error. Wraps `unlink(2)`.
    public static func remove(_ path: String) throws(SystemError) {
        if unlink(path) != 0, Errno.current != .noSuchFileOrDirectory { throw .current("unlink", path: path) }
    }
}
