import Glibc
import SystemKit

/// What `docker cp` learns about a path in a container (the `X-Docker-Container-Path-Stat` header): its name, size,
/// mode in Go's `os.FileMode` bits, modification time and, for a symlink, the path it resolves to in the container.
public struct PathInfo: Hashable, Sendable {
    /// The base name of the requested path.
    public var name: String
    /// `st_size`.
    public var size: Int64
    /// The permission bits plus Go's type bits (`ModeDir` 1<<31, `ModeSymlink` 1<<27, …).
    public var mode: UInt32
    /// RFC 3339 modification time with nanoseconds.
    public var mtime: String
    /// For a symlink, the absolute path in the container it resolves to; else empty.
    public var linkTarget: String

    /// Go's `os.ModeDir`.
    public static let goModeDirectory: UInt32 = 1 << 31
    /// Go's `os.ModeSymlink`.
    public static let goModeSymlink: UInt32 = 1 << 27

    /// Whether the path is a directory (not a symlink to one).
    public var isDirectory: Bool { mode & Self.goModeDirectory != 0 }

    /// The Go `FileMode` of a POSIX `st_mode`.
    public static func goMode(_ mode: mode_t) -> UInt32 {
        var result = UInt32(mode & 0o777)
        if mode & S_ISUID != 0 { result |= 1 << 23 }
        if mode & S_ISGID != 0 { result |= 1 << 22 }
        if mode & S_ISVTX != 0 { result |= 1 << 20 }
        switch mode & Glibc.S_IFMT {
        case Glibc.S_IFDIR: result |= goModeDirectory
        case Glibc.S_IFLNK: result |= goModeSymlink
        case Glibc.S_IFIFO: result |= 1 << 25
        case Glibc.S_IFSOCK: result |= 1 << 24
        case Glibc.S_IFBLK: result |= 1 << 26
        case Glibc.S_IFCHR: result |= (1 << 26) | (1 << 21)
        default: break
        }
        return result
    }

    /// The info of `info` named `name`.
    init(name: String, info: stat, linkTarget: String) {
        self.name = name
        size = Int64(info.st_size)
        mode = Self.goMode(info.st_mode)
        mtime = RFC3339.format(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec))
        self.linkTarget = linkTarget
    }
}
