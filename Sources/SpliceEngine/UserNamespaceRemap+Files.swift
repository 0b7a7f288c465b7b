import Glibc
import SystemKit
import struct EngineErrors.EngineError

extension UserNamespaceRemap {
    /// The remapped copies of `layers` (host paths), made on first use under `<graph>/<uid>.<gid>/layers/`: a
    /// `cp -a` into a temporary directory whose ids are then shifted, renamed into place (a concurrent start that
    /// made it first wins). Blocking.
    public func remappedLayers(_ layers: [String], graph: String) throws(EngineError) -> [String] {
        // Owned by the remapped root, as dockerd's `<graph>/<uid>.<gid>`: the overlay is mounted by that root.
        let root = graph + "/" + directoryName + "/layers"
        do {
            try AtomicFile.makeDirectories(root, mode: 0o700)
        } catch {
            throw EngineError(.internal, "user namespace: cannot create \(root): \(error)", cause: error)
        }
        for directory in [graph + "/" + directoryName, root] where lchown(directory, rootUID, rootGID) != 0 {
            throw failure("lchown", directory)
        }
        var copies: [String] = []
        for layer in layers {
            let relative = layer.hasPrefix(graph + "/") ? String(layer.dropFirst(graph.count + 1)) : layer
            let name = String(relative.map { $0 == "/" ? "_" : $0 })
            let target = root + "/" + name
            copies.append(target)
            if access(target, F_OK) == 0 { continue }
            let temporary = target + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let copy: HostCommand.Result
            do {
                copy = try HostCommand.run("/bin/cp", arguments: ["-a", layer, temporary])
            } catch {
                throw EngineError(.internal, "user namespace: cannot copy layer \(layer): \(error)", cause: error)
            }
            guard copy.status == 0 else {
                _ = try? HostCommand.run("/bin/rm", arguments: ["-rf", temporary])
                throw EngineError(.internal, "user namespace: cp -a \(layer) failed: "
                    + String(decoding: copy.stderr, as: UTF8.self))
            }
            do {
                try shiftOwnership(of: temporary)
            } catch {
                _ = try? HostCommand.run("/bin/rm", arguments: ["-rf", temporary])
                throw error
            }
            if rename(temporary, target) != 0 {
                _ = try? HostCommand.run("/bin/rm", arguments: ["-rf", temporary])
                if access(target, F_OK) != 0 {
                    let error = SystemError.current("rename", path: target)
                    throw EngineError(.internal, "user namespace: \(error)", cause: error)
                }
            }
        }
        return copies
    }

    /// Gives every file below `path` (and `path` itself) the host ids its container ids map to, keeping setuid and
    /// setgid bits (which `chown` clears); ids the map leaves out are left as they are. Blocking.
    public func shiftOwnership(of path: String) throws(EngineError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw failure("lstat", path) }
        guard let uid = hostUID(info.st_uid), let gid = hostGID(info.st_gid) else {
            if info.st_mode & S_IFMT == S_IFDIR { try shiftChildren(of: path) }
            return
        }
        if info.st_uid != uid || info.st_gid != gid {
            guard lchown(path, uid, gid) == 0 else { throw failure("lchown", path) }
            let format = info.st_mode & S_IFMT
            if format != S_IFLNK, info.st_mode & (S_ISUID | S_ISGID) != 0 {
                guard chmod(path, info.st_mode & 0o7777) == 0 else { throw failure("chmod", path) }
            }
        }
        if info.st_mode & S_IFMT == S_IFDIR { try shiftChildren(of: path) }
    }

    private func shiftChildren(of directory: String) throws(EngineError) {
        guard let stream = opendir(directory) else { throw failure("opendir", directory) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(stream)
        for name in names { try shiftOwnership(of: directory + "/" + name) }
    }

    private func failure(_ operation: String, _ path: String) -> EngineError {
        let error = SystemError.current(operation, path: path)
        return EngineError(.internal, "user namespace: \(error)", cause: error)
    }
}
