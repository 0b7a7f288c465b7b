import CLinuxShims
import Glibc

/// A directory treated as `/`: every path opened through it resolves as if the caller were chrooted there, so a
/// symlink (absolute or relative) or `..` can never lead outside it. Uses `openat2(RESOLVE_IN_ROOT)` where the
/// kernel has it (Linux 5.6+), else a walk of its own that opens one component at a time with `O_NOFOLLOW` and keeps
/// its own stack of directories for `..` (so a directory renamed or swapped for a symlink meanwhile cannot lead out).
public final class RootDirectory: Sendable {
    /// The root directory (an `O_PATH` descriptor, or any directory descriptor).
    public let descriptor: FileDescriptor
    /// Whether opens go through `openat2(2)` (when the kernel has it) rather than the walk.
    let usesOpenat2: Bool

    /// `O_PATH`: a descriptor that only names a file (not exported by Glibc's Swift module).
    public static let pathOnly: Int32 = CLS_O_PATH

    /// `AT_EMPTY_PATH`: a `*at` call on the descriptor itself.
    public static let emptyPath: Int32 = CLS_AT_EMPTY_PATH

    /// How often `openat2` is retried on EAGAIN before the walk takes over.
    static let openat2Attempts = 32

    /// The most symlinks one resolution follows, as the kernel's `MAXSYMLINKS`.
    static let maximumSymlinks = 40

    /// Treats the open directory `descriptor` as the root; `walkOnly` never uses `openat2` (what a kernel before
    /// 5.6 gets; tests check both ways).
    public init(_ descriptor: FileDescriptor, walkOnly: Bool = false) {
        self.descriptor = descriptor
        usesOpenat2 = !walkOnly && Self.hasOpenat2
    }

    /// Opens the directory at the host path `path` as a root. Wraps `open(2)` with `O_PATH | O_DIRECTORY`.
    public static func open(_ path: String, walkOnly: Bool = false) throws(SystemError) -> RootDirectory {
        RootDirectory(try FileDescriptor.open(path, Self.pathOnly | O_DIRECTORY), walkOnly: walkOnly)
    }

    /// Whether this kernel has `openat2(2)`, probed once.
    static let hasOpenat2: Bool = {
        let fd = cls_openat2(AT_FDCWD, "/", CLS_O_PATH | O_CLOEXEC, 0, CLS_RESOLVE_IN_ROOT)
        if fd >= 0 { Glibc.close(fd) }
        return fd >= 0
    }()

    /// The components of `path` (absolute or relative, both taken from the root), without empty parts and `.`.
    public static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    /// Opens `path` inside the root with `flags` (`O_CLOEXEC` added); the last component is followed when it is a
    /// symlink unless `followLast` is false (then the link itself is opened, with `O_PATH | O_NOFOLLOW`).
    public func open(_ path: String, _ flags: Int32, mode: mode_t = 0, followLast: Bool = true) throws(SystemError)
        -> FileDescriptor
    {
        let openFlags = (followLast ? flags : flags | O_NOFOLLOW) | O_CLOEXEC
        if usesOpenat2 {
            let relative = Self.components(path).joined(separator: "/")
            // EAGAIN: a `..` met a rename or mount elsewhere on the system meanwhile; openat2(2) asks for a retry.
            for _ in 0..<Self.openat2Attempts {
                let fd = cls_openat2(
                    descriptor.rawValue, relative.isEmpty ? "." : relative, openFlags, UInt32(mode),
                    CLS_RESOLVE_IN_ROOT | CLS_RESOLVE_NO_MAGICLINKS)
                if fd >= 0 { return FileDescriptor(owning: fd) }
                guard Errno.current == .tryAgain || Errno.current == .interrupted else {
                    throw SystemError.current("openat2", path: path)
                }
            }
            // Still racing: the walk never needs a retry.
        }
        return try walk(path, flags: openFlags, mode: mode, followLast: followLast).descriptor
    }

    /// The path `path` resolves to inside the root (every symlink followed, the last one only with `followLast`),
    /// as absolute components from the root. Throws ENOENT when a component on the way does not exist.
    public func resolve(_ path: String, followLast: Bool = true) throws(SystemError) -> [String] {
        let flags = Self.pathOnly | O_CLOEXEC | (followLast ? 0 : O_NOFOLLOW)
        return try walk(path, flags: flags, mode: 0, followLast: followLast)
            .components
    }

    /// The careful walk: opens each directory with `O_NOFOLLOW`, reads symlinks itself and restarts them from the
    /// root (absolute) or the current directory (relative); `..` pops its own stack and never climbs past the root.
    private func walk(_ path: String, flags: Int32, mode: mode_t, followLast: Bool) throws(SystemError)
        -> (descriptor: FileDescriptor, components: [String])
    {
        var stack: [(fd: FileDescriptor, name: String)] = []
        var pending = Array(Self.components(path).reversed())
        var links = 0
        func current() -> Int32 { stack.last?.fd.rawValue ?? descriptor.rawValue }
        while let name = pending.popLast() {
            if name == ".." {
                _ = stack.popLast()
                continue
            }
            let isLast = pending.isEmpty
            var info = stat()
            guard fstatat(current(), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                throw SystemError.current("fstatat", path: path)
            }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFLNK && (!isLast || followLast) {
                links += 1
                guard links <= Self.maximumSymlinks else {
                    throw SystemError("resolve", errno: Errno(rawValue: ELOOP), path: path)
                }
                let target = try Self.readLink(current(), name, path: path)
                if target.hasPrefix("/") { stack.removeAll() }
                pending.append(contentsOf: Self.components(target).reversed())
                continue
            }
            if isLast {
                let fd = openat(current(), name, flags | O_NOFOLLOW, mode)
                if fd < 0 { throw SystemError.current("openat", path: path) }
                return (FileDescriptor(owning: fd), stack.map(\.name) + [name])
            }
            guard kind == S_IFDIR else { throw SystemError("resolve", errno: Errno(rawValue: ENOTDIR), path: path) }
            let fd = openat(current(), name, Self.pathOnly | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd < 0 { throw SystemError.current("openat", path: path) }
            stack.append((FileDescriptor(owning: fd), name))
        }
        let fd = openat(current(), ".", flags & ~O_NOFOLLOW, mode)
        if fd < 0 { throw SystemError.current("openat", path: path) }
        return (FileDescriptor(owning: fd), stack.map(\.name))
    }

    /// The target of the symlink `name` in `directory`. Wraps `readlinkat(2)`.
    public static func readLink(_ directory: Int32, _ name: String, path: String) throws(SystemError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(directory, name, &buffer, buffer.count - 1)
        if count < 0 { throw SystemError.current("readlinkat", path: path) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
