import Glibc

/// An exclusive advisory lock on a file, held until `unlock()` or deinit. Serialises host-wide changes
/// (such as creating a shared bridge) between concurrent Splice processes.
public final class FileLock {
    private let descriptor: FileDescriptor
    private var held = true

    /// Blocks until the lock on `path` is held, creating the file (and its directory) if needed. Wraps `flock(2)`.
    public init(path: String) throws(SystemError) {
        if let slash = path.lastIndex(of: "/") {
            let directory = String(path[..<slash])
            if !directory.isEmpty, mkdir(directory, 0o755) != 0, Errno.current != .exists {
                throw .current("mkdir", path: directory)
            }
        }
        descriptor = try .open(path, O_RDWR | O_CREAT, mode: 0o600)
        try retryingInterrupts("flock", path: path) { flock(descriptor.rawValue, LOCK_EX) }
    }

    /// Releases the lock.
    public func unlock() {
        guard held else { return }
        flock(descriptor.rawValue, LOCK_UN)
        held = false
    }

    deinit { unlock() }
}
