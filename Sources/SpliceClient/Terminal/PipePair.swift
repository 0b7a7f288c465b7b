#if canImport(Glibc)
import Glibc
#endif

/// A close-on-exec pipe (`pipe2` needs `_GNU_SOURCE`, which Glibc's module does not define).
enum PipePair {
    /// Makes a pipe; `nonBlocking` applies to both ends. Nil on failure.
    static func make(nonBlocking: Bool = false) -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if nonBlocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        return (fds[0], fds[1])
    }
}
