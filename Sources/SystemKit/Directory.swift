import Glibc

/// Reading directories without Foundation.
public enum Directory {
    /// The names in a directory, without `.` and `..`; empty when it cannot be read.
    public static func entries(_ path: String) -> [String] {
        guard let handle = opendir(path) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The bytes of every regular file and symlink under `path` (each hard-linked inode once), as `du
    /// --apparent-size` counts them; 0 when `path` is missing.
    public static func apparentSize(of path: String) -> Int64 {
        var seen = Set<UInt64>()
        return apparentSize(of: path, seen: &seen)
    }

    private static func apparentSize(of path: String, seen: inout Set<UInt64>) -> Int64 {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        let format = info.st_mode & S_IFMT
        if format != S_IFDIR {
            guard info.st_nlink <= 1 || seen.insert(UInt64(info.st_ino)).inserted else { return 0 }
            return format == S_IFREG || format == S_IFLNK ? Int64(info.st_size) : 0
        }
        return entries(path).reduce(0) { $0 + apparentSize(of: path + "/" + $1, seen: &seen) }
    }
}
