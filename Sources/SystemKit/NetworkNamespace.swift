import CLinuxShims
import Glibc

/// A network namespace held open by a file descriptor.
public final class NetworkNamespace: Sendable, CustomStringConvertible {
    /// The descriptor that pins the namespace.
    public let descriptor: FileDescriptor
    /// How the namespace was named when it was opened (a name, `pid:N` or a path), for messages.
    public let label: String

    /// The directory where `ip netns` keeps named namespaces.
    public static let namedDirectory = "/run/netns"

    private init(descriptor: FileDescriptor, label: String) {
        self.descriptor = descriptor
        self.label = label
    }

    public var description: String { label }

    /// Opens the namespace at `path` (a bind mount or `/proc/PID/ns/net`).
    public static func open(path: String, label: String? = nil) throws(SystemError) -> NetworkNamespace {
        NetworkNamespace(descriptor: try .open(path), label: label ?? path)
    }

    /// Opens a namespace made by `ip netns add NAME`.
    public static func open(named name: String) throws(SystemError) -> NetworkNamespace {
        try open(path: "\(namedDirectory)/\(name)", label: name)
    }

    /// Opens the network namespace of process `pid`.
    public static func open(pid: Int32) throws(SystemError) -> NetworkNamespace {
        try open(path: "/proc/\(pid)/ns/net", label: "pid:\(pid)")
    }

    /// The namespace of the calling process.
    public static func host() throws(SystemError) -> NetworkNamespace {
        try open(path: "/proc/self/ns/net", label: "host")
    }

    /// The namespace's identity (device and inode of its nsfs file); equal for equal namespaces.
    public func identity() throws(SystemError) -> FileIdentity { try descriptor.identity() }

    /// The identity of the calling thread's namespace. Wraps `stat(2)` of `/proc/thread-self/ns/net`.
    public static func currentIdentity() throws(SystemError) -> FileIdentity {
        var info = stat()
        try retryingInterrupts("stat", path: "/proc/thread-self/ns/net") { stat("/proc/thread-self/ns/net", &info) }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Creates a new namespace that lives as long as the returned handle (or any socket opened in it).
    public static func anonymous(label: String = "scratch") throws(SystemError) -> NetworkNamespace {
        let fd = try KernelThread.run { () throws(SystemError) -> Int32 in
            try retryingInterrupts("unshare") { cls_unshare(Int32(CLS_CLONE_NEWNET)) }
            return try retryingInterrupts("open", path: "/proc/thread-self/ns/net") {
                Glibc.open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
            }
        }
        return NetworkNamespace(descriptor: FileDescriptor(owning: fd), label: label)
    }

    /// Creates a named namespace pinned by a bind mount, as `ip netns add NAME` does, so `ip netns` sees it.
    public static func create(named name: String) throws(SystemError) -> NetworkNamespace {
        try prepareNamedDirectory()
        return try create(pinnedAt: "\(namedDirectory)/\(name)", label: name)
    }

    /// Creates a namespace pinned by a bind mount on a new file at `path` (whose directory must exist), such as
    /// a sandbox under Splice's state directory. Remove it with `delete(pinnedAt:)`.
    public static func create(pinnedAt path: String, label: String? = nil) throws(SystemError) -> NetworkNamespace {
        do {
            return try create(pinnedAt: path, label: label) { () throws(SystemError) in }
        } catch {
            switch error {
            case .enter(let failure), .body(let failure): throw failure
            }
        }
    }

    /// `create(pinnedAt:label:)`, running `body` inside the new namespace on the thread that made it (a socket
    /// opened there belongs to it), so the caller's first work there needs no second thread and `setns(2)`. When
    /// `body` fails the namespace is removed again.
    public static func create<E: Error>(
        pinnedAt path: String, label: String? = nil, inside body: @escaping () throws(E) -> Void
    ) throws(NamespaceError<E>) -> NetworkNamespace {
        let fd: Int32
        do {
            fd = try retryingInterrupts("create", path: path) {
                Glibc.open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0)
            }
        } catch {
            throw .enter(error)
        }
        Glibc.close(fd)
        let made = KernelThread.run { () -> Result<Void, NamespaceError<E>> in
            do throws(SystemError) {
                try retryingInterrupts("unshare") { cls_unshare(Int32(CLS_CLONE_NEWNET)) }
                try retryingInterrupts("mount", path: path) {
                    mount("/proc/thread-self/ns/net", path, "none", UInt(MS_BIND), nil)
                }
            } catch {
                return .failure(.enter(error))
            }
            do throws(E) { try body() } catch { return .failure(.body(error)) }
            return .success(())
        }
        if case .failure(let failure) = made {
            try? delete(pinnedAt: path)
            throw failure
        }
        do {
            return try open(path: path, label: label)
        } catch {
            try? delete(pinnedAt: path)
            throw .enter(error)
        }
    }

    /// Unmounts and removes a namespace file made by `create(pinnedAt:)`; a missing file is not an error.
    public static func delete(pinnedAt path: String) throws(SystemError) {
        if umount2(path, Int32(MNT_DETACH)) != 0, Errno.current != .invalidArgument,
            Errno.current != .noSuchFileOrDirectory
        {
            throw SystemError.current("umount", path: path)
        }
        if unlink(path) != 0, Errno.current != .noSuchFileOrDirectory {
            throw SystemError.current("unlink", path: path)
        }
    }

    /// Removes a named namespace made by `create(named:)` or `ip netns add`. Equivalent to `ip netns del NAME`.
    public static func delete(named name: String) throws(SystemError) {
        try delete(pinnedAt: "\(namedDirectory)/\(name)")
    }

    /// Whether a named namespace exists.
    public static func exists(named name: String) -> Bool {
        access("\(namedDirectory)/\(name)", F_OK) == 0
    }

    /// Runs `body` on a dedicated thread that has entered this namespace. Wraps `setns(2)`.
    public func perform<T, E: Error>(_ body: @escaping () throws(E) -> T) throws(NamespaceError<E>) -> T {
        let fd = descriptor.rawValue
        let label = label
        let outcome = KernelThread.run { () -> Result<T, NamespaceError<E>> in
            if cls_setns(fd, Int32(CLS_CLONE_NEWNET)) != 0 {
                return .failure(.enter(SystemError.current("setns", path: label)))
            }
            do throws(E) { return .success(try body()) } catch { return .failure(.body(error)) }
        }
        return try outcome.get()
    }

    /// `ip netns add` makes the directory a shared mount point so that later bind mounts propagate.
    private static func prepareNamedDirectory() throws(SystemError) {
        if mkdir(namedDirectory, 0o755) != 0, Errno.current != .exists {
            throw SystemError.current("mkdir", path: namedDirectory)
        }
        if mount("", namedDirectory, "none", UInt(MS_SHARED | MS_REC), nil) == 0 { return }
        guard Errno.current == .invalidArgument else { throw SystemError.current("mount", path: namedDirectory) }
        try retryingInterrupts("mount", path: namedDirectory) {
            mount(namedDirectory, namedDirectory, "none", UInt(MS_BIND | MS_REC), nil)
        }
        try retryingInterrupts("mount", path: namedDirectory) {
            mount("", namedDirectory, "none", UInt(MS_SHARED | MS_REC), nil)
        }
    }
}

/// Failure of `NetworkNamespace.perform`: entering the namespace failed, or the work inside it did.
public enum NamespaceError<Body: Error>: Error {
    case enter(SystemError)
    case body(Body)
}
