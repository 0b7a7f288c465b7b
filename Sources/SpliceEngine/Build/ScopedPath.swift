import Glibc

/// Resolves a path inside a root directory as if the root were `/`: `..` stops at the root and symlinks are
/// followed relative to it, so nothing in a build context or a stage's tree can point a step outside it.
enum ScopedPath {
    /// The host path that `path` names inside `root`, its last component not followed when it is a symlink
    /// (`followLast` false); throws after 40 links.
    static func resolve(_ path: String, in root: String, followLast: Bool = true) throws(BuildFailure) -> String {
        var pending = path.split(separator: "/").map(String.init)
        var resolved: [String] = []
        var hops = 0
        while !pending.isEmpty {
            let component = pending.removeFirst()
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            let candidate = root + "/" + (resolved + [component]).joined(separator: "/")
            var info = stat()
            if lstat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFLNK, followLast || !pending.isEmpty {
                hops += 1
                guard hops <= 40 else { throw BuildFailure("too many levels of symbolic links: \(path)") }
                var buffer = [CChar](repeating: 0, count: 4096)
                let count = readlink(candidate, &buffer, buffer.count - 1)
                guard count >= 0 else { throw BuildFailure("cannot read link \(path)") }
                let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if target.hasPrefix("/") { resolved = [] }
                pending = target.split(separator: "/").map(String.init) + pending
                continue
            }
            resolved.append(component)
        }
        return resolved.isEmpty ? root : root + "/" + resolved.joined(separator: "/")
    }

    /// The components of `path` with `.` and empty parts dropped and `..` applied, never above the top.
    static func clean(_ path: String) -> [String] {
        var result: [String] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." {
                if !result.isEmpty { result.removeLast() }
            } else {
                result.append(String(part))
            }
        }
        return result
    }
}
