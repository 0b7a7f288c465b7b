import CArchive
import Glibc
import SystemKit

/// A container's own overlay layer (its upper directory) over the image's lower directories: what `docker diff`
/// reports and what `commit` and `build` turn into a new layer.
public struct UpperDirectory: Sendable {
    /// The upper directory.
    public let path: String
    /// The lower directories, top-most first (overlayfs' `lowerdir=` order).
    public let lower: [String]
    /// Paths (absolute in the container) left out of changes and layers: the mount points the runtime makes.
    public let excluded: Set<String>

    /// Creates the view of `path` over `lower`.
    public init(path: String, lower: [String], excluded: Set<String> = []) {
        self.path = path
        self.lower = lower
        self.excluded = excluded
    }

    /// The changes in walk order (a directory before what it holds, names sorted), as `docker diff` lists them:
    /// whiteouts are deletions, an opaque directory deletes what the layers below had in it, and a directory
    /// that exists below is reported changed when its mode or owner differs or something in it was added or
    /// deleted.
    public func changes() throws(ImageError) -> [LayerChange] {
        let reader = try DiskEntry.makeReader()
        defer { archive_read_free(reader) }
        return walk("", opaqueAbove: false, reader: reader).changes
    }

    /// The changes under `relative` (`""` or `/dir`); `direct` tells whether an entry right in it was added or
    /// deleted (its parent is then changed).
    private func walk(_ relative: String, opaqueAbove: Bool, reader: OpaquePointer)
        -> (changes: [LayerChange], direct: Bool)
    {
        var changes: [LayerChange] = []
        var direct = false
        for name in Directory.entries(path + relative).sorted() {
            let item = relative + "/" + name
            if excluded.contains(item) { continue }
            guard let entry = DiskEntry(path: path + item, reader: reader) else { continue }
            if entry.isWhiteout {
                if !opaqueAbove, lowerInfo(item) != nil {
                    changes.append(LayerChange(path: item, kind: .deleted))
                    direct = true
                }
                continue
            }
            let below = opaqueAbove ? nil : lowerInfo(item)
            guard entry.isDirectory else {
                changes.append(LayerChange(path: item, kind: below == nil ? .added : .changed))
                if below == nil { direct = true }
                continue
            }
            let opaque = entry.isOpaque
            var inside = walk(item, opaqueAbove: opaqueAbove || opaque, reader: reader)
            if opaque, !opaqueAbove, below != nil {
                let kept = Set(Directory.entries(path + item))
                for hidden in lowerNames(item).subtracting(kept).sorted() {
                    inside.changes.append(LayerChange(path: item + "/" + hidden, kind: .deleted))
                    inside.direct = true
                }
            }
            if let below, below.st_mode & S_IFMT == S_IFDIR {
                // Not the time: a copy-up for a runtime mount point (`/etc/hosts`) changes it, and a modified
                // file does not change its directory's time either.
                let differs = below.st_mode != entry.info.st_mode || below.st_uid != entry.info.st_uid
                    || below.st_gid != entry.info.st_gid
                if differs || inside.direct || opaque { changes.append(LayerChange(path: item, kind: .changed)) }
            } else {
                changes.append(LayerChange(path: item, kind: below == nil ? .added : .changed))
                if below == nil { direct = true }
            }
            changes += inside.changes
        }
        return (changes, direct)
    }

    /// The `lstat` of `item` in the top-most lower directory that has it; nil when none has it or the top-most
    /// one that mentions it holds a whiteout.
    public func lowerInfo(_ item: String) -> stat? {
        for directory in lower {
            var info = stat()
            guard lstat(directory + item, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFCHR && info.st_rdev == 0 { return nil }
            return info
        }
        return nil
    }

    /// The names the lower directories show in directory `item` (whiteouts removed).
    func lowerNames(_ item: String) -> Set<String> {
        var names = Set<String>()
        var hidden = Set<String>()
        for directory in lower {
            for name in Directory.entries(directory + item) where !hidden.contains(name) {
                var info = stat()
                guard lstat(directory + item + "/" + name, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFCHR && info.st_rdev == 0 {
                    hidden.insert(name)
                } else {
                    names.insert(name)
                }
            }
        }
        return names
    }
}
