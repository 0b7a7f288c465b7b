#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import SystemKit
import struct EngineErrors.EngineError

/// Local volumes, `<graph>/volumes/<name>/_data`, as dockerd's `local` driver keeps them.
public struct VolumeStore: Sendable {
    /// `<graph>/volumes`.
    public let root: String

    /// A store rooted at `root`.
    public init(root: String) { self.root = root }

    /// The directory a volume's content lives in.
    public func dataPath(of name: String) -> String { "\(root)/\(name)/_data" }

    /// Whether volume `name` exists.
    public func exists(_ name: String) -> Bool { access(dataPath(of: name), F_OK) == 0 }

    /// Creates volume `name` with `metadata` unless it exists; returns whether it was created now. The volume is
    /// made whole under a staging name and renamed into place, so a daemon killed in between leaves no volume
    /// without its options (`sweepInterrupted` removes the staging directory).
    public func create(_ name: String, metadata: VolumeMetadata = VolumeMetadata()) throws(EngineError) -> Bool {
        if exists(name) { return false }
        let staging = "\(root)/\(Self.creatingPrefix)\(name)-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try AtomicFile.makeDirectories(root, mode: 0o700)
            try AtomicFile.makeDirectories(staging, mode: 0o755)
            if mkdir(staging + "/_data", 0o755) != 0 { throw SystemError.current("mkdir", path: staging + "/_data") }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw EngineError(.internal, "create \(name): cannot make the volume's directory", cause: error)
        }
        do throws(EngineError) {
            if metadata != VolumeMetadata() { try writeMetadata(metadata, to: staging + "/volume.json", name: name) }
            Failpoint.hit("volume.create")
            if rename(staging, "\(root)/\(name)") != 0 {
                let failure = SystemError.current("rename", path: "\(root)/\(name)")
                if failure.errno == .exists || failure.errno == Errno(rawValue: ENOTEMPTY) {
                    try? FileManager.default.removeItem(atPath: staging)
                    return false
                }
                throw EngineError(.internal, "create \(name): cannot make the volume's directory", cause: failure)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        return true
    }

    /// Removes volume `name` and its content (unmounting its device first); missing is fine. The volume leaves
    /// its name at once (renamed aside), then its content is deleted; a daemon killed in between leaves no half
    /// volume (`sweepInterrupted` finishes the deletion).
    public func remove(_ name: String) throws(EngineError) {
        let directory = "\(root)/\(name)"
        guard access(directory, F_OK) == 0 else { return }
        try unmount(name)
        let doomed = "\(root)/\(Self.removingPrefix)\(name)-\(UInt32.random(in: 0...UInt32.max))"
        guard Glibc.rename(directory, doomed) == 0 else {
            let failure = SystemError.current("rename", path: directory)
            throw EngineError(.internal, "remove \(name): cannot delete the volume's directory", cause: failure)
        }
        Failpoint.hit("volume.rm")
        do { try FileManager.default.removeItem(atPath: doomed) } catch {
            throw EngineError(.internal, "remove \(name): cannot delete the volume's directory", cause: error)
        }
    }

    /// Staging names of volumes being made and removed; volume names cannot start with a dot.
    static let creatingPrefix = ".creating-"
    static let removingPrefix = ".removing-"

    /// Deletes what a daemon killed inside `create` or `remove` left (at start, before anything uses volumes);
    /// the paths it deleted.
    public func sweepInterrupted() -> [String] {
        var swept: [String] = []
        for entry in Directory.entries(root)
        where entry.hasPrefix(Self.creatingPrefix) || entry.hasPrefix(Self.removingPrefix) {
            let path = "\(root)/\(entry)"
            if Self.isMountPoint(path + "/_data") { umount2(path + "/_data", Int32(MNT_DETACH)) }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { swept.append(path) }
        }
        return swept
    }

    /// A new anonymous volume's name: 64 random hex digits.
    public static func anonymousName() -> String { ContainerID.random() }

    /// Copies the image's content at `path` into new volume `name`, as dockerd does on first use: `layers` are the
    /// image's layer directories top-most first; entries an upper layer has (or whites out) hide lower ones.
    public func populate(_ name: String, from layers: [String], path: String) {
        var hidden = Set<String>()
        for layer in layers {
            var decided = Set<String>()
            Self.merge(from: layer + path, to: dataPath(of: name), relative: "", hidden: hidden, decided: &decided)
            hidden.formUnion(decided)
            if access(layer + path, F_OK) == 0 && !Self.isDirectory(layer + path) { return }
        }
        if let info = Self.status(layers.lazy.map { $0 + path }.first { Self.isDirectory($0) } ?? "") {
            chmod(dataPath(of: name), info.st_mode & 0o7777)
            chown(dataPath(of: name), info.st_uid, info.st_gid)
        }
    }

    /// Copies what `source` has below `relative` into `target` unless an upper layer already decided the entry.
    private static func merge(from source: String, to target: String, relative: String, hidden: Set<String>,
                              decided: inout Set<String>) {
        guard let directory = opendir(source + relative) else { return }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        if names.contains(".wh..wh..opq") { decided.insert(relative + "/") }
        for name in names where name != ".wh..wh..opq" {
            if name.hasPrefix(".wh.") {
                decided.insert(relative + "/" + String(name.dropFirst(4)))
                continue
            }
            let item = relative + "/" + name
            if hidden.contains(item) || isUnderOpaqueDirectory(item, hidden: hidden) { continue }
            guard let info = status(source + item) else { continue }
            let format = info.st_mode & S_IFMT
            if format == S_IFCHR && info.st_rdev == 0 {  // an overlay whiteout
                decided.insert(item)
                continue
            }
            let destination = target + item
            if format == S_IFDIR {
                if !isDirectory(destination) {
                    mkdir(destination, info.st_mode & 0o7777)
                    chown(destination, info.st_uid, info.st_gid)
                    chmod(destination, info.st_mode & 0o7777)
                }
                merge(from: source, to: target, relative: item, hidden: hidden, decided: &decided)
            } else {
                decided.insert(item)
                if format == S_IFLNK {
                    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                    let count = readlink(source + item, &buffer, buffer.count - 1)
                    if count >= 0 {
                        symlink(String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self),
                                destination)
                        lchown(destination, info.st_uid, info.st_gid)
                    }
                } else if format == S_IFREG {
                    copyFile(source + item, to: destination, info: info)
                }
            }
        }
    }

    /// Whether an upper layer marked a directory above `item` opaque (`.wh..wh..opq`), hiding lower content.
    private static func isUnderOpaqueDirectory(_ item: String, hidden: Set<String>) -> Bool {
        var prefix = ""
        for component in item.split(separator: "/").dropLast() {
            prefix += "/" + component
            if hidden.contains(prefix + "/") { return true }
        }
        return hidden.contains("/")
    }

    private static func copyFile(_ source: String, to destination: String, info: stat) {
        guard let bytes = try? FileDescriptor.open(source, O_RDONLY | O_CLOEXEC).readAll() else { return }
        try? AtomicFile.write(bytes, to: destination, mode: info.st_mode & 0o7777)
        chown(destination, info.st_uid, info.st_gid)
        chmod(destination, info.st_mode & 0o7777)
    }

    private static func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }
}
