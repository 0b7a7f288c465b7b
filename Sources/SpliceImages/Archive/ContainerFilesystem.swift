import Glibc
import SystemKit

/// A container's root file system as `docker cp` and `docker export` see it, every path resolved inside `root` as if
/// chrooted there (symlinks in the container cannot make a copy read or write outside it: the CVE-2018-15664 and
/// CVE-2019-14271 classes).
public struct ContainerFilesystem: Sendable {
    /// The container's root.
    public let root: RootDirectory

    /// A file system rooted at `root`.
    public init(root: RootDirectory) { self.root = root }

    /// `notFound` for a missing path, in dockerd's words when `container` is given.
    static func missing(_ path: String, container: String) -> ImageError {
        ImageError(.notFound, "Could not find the file \(path) in container \(container)")
    }

    /// The parent directory of `path` (symlinks followed inside the root) and the last component; nil for the root
    /// and for a path ending in `/` (then the whole path is followed, as docker does).
    func parent(of path: String, container: String) throws(ImageError) -> (FileDescriptor, String)? {
        let components = RootDirectory.components(path)
        guard let last = components.last, last != "..", !path.hasSuffix("/") else { return nil }
        do {
            let parent = try root.open(components.dropLast().joined(separator: "/"),
                                       RootDirectory.pathOnly | O_DIRECTORY)
            return (parent, last)
        } catch {
            if error.errno == .noSuchFileOrDirectory || error.errno.rawValue == ENOTDIR {
                throw Self.missing(path, container: container)
            }
            throw .system(error)
        }
    }

    /// The base name docker gives `path`: its last component (`.` for `/dir/.`), `/` for the root.
    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? "/"
    }

    /// `HEAD /containers/{id}/archive?path=`: the path's own stat (a final symlink is not followed) and, for a
    /// symlink, where it resolves to.
    public func stat(_ path: String, container: String) throws(ImageError) -> PathInfo {
        var info = Glibc.stat()
        guard let (parent, last) = try parent(of: path, container: container) else {
            let fd = try openDirectory(path, container: container)
            guard fstat(fd.rawValue, &info) == 0 else { throw .system(.current("fstat", path: path)) }
            return PathInfo(name: Self.baseName(path), info: info, linkTarget: "")
        }
        guard fstatat(parent.rawValue, last, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if Errno.current == .noSuchFileOrDirectory { throw Self.missing(path, container: container) }
            throw .system(.current("fstatat", path: path))
        }
        var linkTarget = ""
        if info.st_mode & Glibc.S_IFMT == Glibc.S_IFLNK {
            if let resolved = try? root.resolve(path) {
                linkTarget = "/" + resolved.joined(separator: "/")
            } else {
                // A dangling link: where it points, read as a path inside the container.
                let target = (try? RootDirectory.readLink(parent.rawValue, last, path: path)) ?? ""
                var resolved: [String] = target.hasPrefix("/") ? [] : Array(RootDirectory.components(path).dropLast())
                for component in RootDirectory.components(target) {
                    if component == ".." { _ = resolved.popLast() } else { resolved.append(component) }
                }
                linkTarget = "/" + resolved.joined(separator: "/")
            }
        }
        return PathInfo(name: Self.baseName(path), info: info, linkTarget: linkTarget)
    }

    /// `GET /containers/{id}/archive?path=`: writes a tar of `path` (a directory with everything below it, a symlink
    /// as a link) to `fileDescriptor`, its top entry named after the path's base name (`dir/`, `dir/file`).
    public func archive(_ path: String, container: String, to fileDescriptor: Int32) throws(ImageError) {
        let archiver = try TreeArchiver(writingTo: fileDescriptor)
        if let (parent, last) = try parent(of: path, container: container) {
            let name = Self.baseName(path)
            try archiver.add(last, in: parent.rawValue, as: name)
        } else {
            let fd = try openDirectory(path, container: container)
            if RootDirectory.components(path).isEmpty {
                try archiver.addChildren(of: fd.rawValue, prefix: "")
            } else {
                try archiver.add(".", in: fd.rawValue, as: Self.baseName(path))
            }
        }
        try archiver.finish()
    }

    /// The directory `path` names, every symlink followed inside the root; `notFound` in dockerd's words.
    func openDirectory(_ path: String, container: String) throws(ImageError) -> FileDescriptor {
        do { return try root.open(path, O_RDONLY | O_DIRECTORY) } catch {
            if error.errno == .noSuchFileOrDirectory || error.errno.rawValue == ENOTDIR {
                throw Self.missing(path, container: container)
            }
            throw .system(error)
        }
    }

    /// `GET /containers/{id}/export`: a tar of the whole tree, entries relative to the root (`bin/`, `bin/sh`).
    public func export(to fileDescriptor: Int32) throws(ImageError) {
        let archiver = try TreeArchiver(writingTo: fileDescriptor)
        let fd: FileDescriptor
        do { fd = try root.open("/", O_RDONLY | O_DIRECTORY) } catch { throw .system(error) }
        try archiver.addChildren(of: fd.rawValue, prefix: "")
        try archiver.finish()
    }

    /// `PUT /containers/{id}/archive?path=DIR`: extracts the tar read from `fileDescriptor` into the existing
    /// directory `path` (symlinks on the way to it followed inside the root) through `ArchiveExtractor`.
    public func extract(from fileDescriptor: Int32, into path: String, container: String, options: ExtractOptions)
        throws(ImageError)
    {
        let target: [String]
        do {
            target = try root.resolve(path)
            let directory = try root.open("/" + target.joined(separator: "/"), RootDirectory.pathOnly)
            var info = Glibc.stat()
            guard fstat(directory.rawValue, &info) == 0 else { throw SystemError.current("fstat", path: path) }
            guard info.st_mode & Glibc.S_IFMT == Glibc.S_IFDIR else {
                throw ImageError(.invalidArgument, "extraction point is not a directory")
            }
        } catch let error as SystemError {
            if error.errno == .noSuchFileOrDirectory { throw Self.missing(path, container: container) }
            throw .system(error)
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError(.internal, "cannot open \(path)")
        }
        let extractor = ArchiveExtractor(root: root, target: target, options: options)
        try extractor.extract(from: fileDescriptor)
    }
}
