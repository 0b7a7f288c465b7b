#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemKit

/// Unix socket file chores: refuse a live socket, remove a stale one, set mode and group after binding.
enum SocketFile {
    /// Removes `path` if it is a socket nobody answers on; throws if a server answers or it is not a socket.
    static func removeStale(at path: String) throws(APIServerError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw .socketPathInUse(path: path, reason: "exists and is not a socket")
        }
        if isAnswering(path) { throw .socketPathInUse(path: path, reason: "another server is listening on it") }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .system(operation: "unlink", path: path, errno: errno)
        }
    }

    /// Whether a `connect(2)` to the socket succeeds.
    static func isAnswering(_ path: String) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard var address = sockaddr_un(path: path) else { return false }
        return withSocketAddress(&address) { connect(fd, $0, $1) } == 0
    }

    /// Applies mode and group to the bound socket file. Wraps `chmod(2)` and `chown(2)`.
    static func applyPermissions(path: String, mode: UInt32, group: APIServerConfiguration.SocketGroup?)
        throws(APIServerError) {
        if let group {
            let gid: gid_t
            switch group {
            case .id(let id):
                gid = gid_t(id)
            case .name(let name):
                guard let entry = getgrnam(name) else { throw .unknownGroup(name) }
                gid = entry.pointee.gr_gid
            }
            guard chown(path, uid_t.max, gid) == 0 else { throw .system(operation: "chown", path: path, errno: errno) }
        }
        guard chmod(path, mode_t(mode)) == 0 else { throw .system(operation: "chmod", path: path, errno: errno) }
    }
}

extension SocketFile {
    /// Unlinks `path` if it is a socket; errors are ignored (shutdown path).
    static func removeIfSocket(_ path: String) {
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK { unlink(path) }
    }
}
