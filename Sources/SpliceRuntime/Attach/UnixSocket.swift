import CLinuxShims
import Glibc
import SystemKit

/// Unix stream sockets at a path, for the attach socket; a path longer than `sun_path` is reached through
/// `/proc/self/fd/<directory>/<name>`.
enum UnixSocket {
    /// Creates a socket listening at `path` with mode 0600, replacing a stale socket file.
    static func listen(at path: String) throws(SystemError) -> FileDescriptor {
        let socket = try makeSocket()
        _ = unlink(path)
        try withAddress(path) { (address: inout sockaddr_un) throws(SystemError) in
            let result = withSocketAddress(&address) { bind(socket.rawValue, $0, $1) }
            if result != 0 { throw .current("bind", path: path) }
        }
        if chmod(path, 0o600) != 0 { throw .current("chmod", path: path) }
        if Glibc.listen(socket.rawValue, 64) != 0 { throw .current("listen", path: path) }
        return socket
    }

    /// Connects to the socket at `path`.
    static func connect(to path: String) throws(SystemError) -> FileDescriptor {
        let socket = try makeSocket()
        try withAddress(path) { (address: inout sockaddr_un) throws(SystemError) in
            while withSocketAddress(&address, { Glibc.connect(socket.rawValue, $0, $1) }) != 0 {
                if Errno.current != .interrupted { throw .current("connect", path: path) }
            }
        }
        return socket
    }

    private static func makeSocket() throws(SystemError) -> FileDescriptor {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw .current("socket") }
        return FileDescriptor(owning: fd)
    }

    private static func withAddress(
        _ path: String, _ body: (inout sockaddr_un) throws(SystemError) -> Void
    ) throws(SystemError) {
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        var directory: FileDescriptor?
        var usable = path
        if path.utf8.count >= capacity, let slash = path.lastIndex(of: "/") {
            let opened = try FileDescriptor.open(String(path[..<slash]).isEmpty ? "/" : String(path[..<slash]),
                                                 O_RDONLY | O_DIRECTORY)
            directory = opened
            usable = "/proc/self/fd/\(opened.rawValue)/" + path[path.index(after: slash)...]
        }
        guard var address = sockaddr_un(path: usable) else {
            throw SystemError("bind", errno: Errno(rawValue: ENAMETOOLONG), path: path)
        }
        try withExtendedLifetime(directory) { () throws(SystemError) in try body(&address) }
    }
}
