import Glibc
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// The remap a container runs with: the daemon's `--userns-remap`, unless the container asked for `--userns=host`.
    nonisolated func userNamespaceRemap(for request: ContainerCreateOptions) -> UserNamespaceRemap? {
        request.usernsMode == "host" ? nil : configuration.userNamespaceRemap
    }

    /// dockerd's checks of `--userns` and of what a remapped container may not share with the host.
    static func validateUserNamespace(_ request: ContainerCreateOptions, remap: UserNamespaceRemap?)
        throws(EngineError)
    {
        guard ["", "host"].contains(request.usernsMode) else {
            throw EngineError(.invalidArgument, "invalid USER mode: \(request.usernsMode)")
        }
        guard remap != nil, request.usernsMode.isEmpty else { return }
        if request.privileged {
            throw EngineError(.invalidArgument, "privileged mode is incompatible with user namespaces.  You must run"
                + " the container in the host namespace when running privileged mode")
        }
        if request.networkMode == "host" {
            throw EngineError(.invalidArgument,
                              "cannot share the host's network namespace when user namespaces are enabled")
        }
        if request.pidMode == "host" {
            throw EngineError(.invalidArgument, "cannot share the host PID namespace when user namespaces are enabled")
        }
        if request.ipcMode == "host" || request.ipcMode.hasPrefix("container:") {
            throw EngineError(.invalidArgument, "cannot share the host's or another container's IPC namespace when"
                + " user namespaces are enabled")
        }
    }

    /// A remapped container's files, before its start: the image's layers as a copy owned by the remapped ids
    /// (`<graph>/<uid>.<gid>/layers/`, made once per layer), its own layer and work directory and its volumes
    /// owned by the remapped root. Returns the lower directories to mount.
    func prepareRemappedFilesystem(_ remap: UserNamespaceRemap, lower: [String], upper: String, work: String,
                                   mounts: [VolumeMount]) async throws -> [String] {
        let graph = configuration.graph
        let volumes = mounts.filter { $0.kind == .volume }.map(\.source)
        let binds = mounts.filter { $0.kind == .bind }.map(\.source)
        return try await BlockingWork.run { () throws -> [String] in
            let layers = remap.idmappedLayers ? lower : try remap.remappedLayers(lower, graph: graph)
            for source in binds { try Self.makeBindSource(source, owner: remap) }
            // A fresh layer (or one from before the remap) still belongs to the host's root: shift it once.
            for directory in [upper] + volumes {
                if try Self.owner(of: directory) == (0, 0) { try remap.shiftOwnership(of: directory) }
            }
            if try Self.owner(of: work) != (remap.rootUID, remap.rootGID) { try remap.shiftOwnership(of: work) }
            for path in [upper, work] + volumes { try Self.makeTraversable(path, below: graph) }
            return layers
        }
    }

    /// Creates a missing `-v /host:/ctr` source as dockerd does under a remap: the directories it creates belong to
    /// the remapped root (existing ones are left as they are).
    static func makeBindSource(_ source: String, owner remap: UserNamespaceRemap) throws(EngineError) {
        guard source.hasPrefix("/"), access(source, F_OK) != 0 else { return }
        var created: [String] = []
        var path = ""
        for component in source.split(separator: "/") {
            path += "/" + component
            if access(path, F_OK) == 0 { continue }
            guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
                let error = SystemError.current("mkdir", path: path)
                throw EngineError(.invalidArgument, "error while creating mount source path '\(source)': \(error)",
                                  cause: error)
            }
            created.append(path)
        }
        for directory in created where lchown(directory, remap.rootUID, remap.rootGID) != 0 {
            let error = SystemError.current("lchown", path: directory)
            throw EngineError(.internal, "user namespace: \(error)", cause: error)
        }
    }

    /// Adds search permission for others (not read) to `graph` and every directory between it and `path`, as
    /// dockerd makes its root 0711 under `--userns-remap`: the remapped root mounts and binds these paths.
    static func makeTraversable(_ path: String, below graph: String) throws(EngineError) {
        guard path.hasPrefix(graph + "/") else { return }
        var directory = graph
        for component in path.dropFirst(graph.count + 1).split(separator: "/").dropLast() {
            try addSearchPermission(directory)
            directory += "/" + component
        }
        try addSearchPermission(directory)
    }

    private static func addSearchPermission(_ directory: String) throws(EngineError) {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            let error = SystemError.current("stat", path: directory)
            throw EngineError(.internal, "user namespace: \(error)", cause: error)
        }
        guard info.st_mode & 0o001 == 0 else { return }
        guard chmod(directory, (info.st_mode & 0o7777) | 0o001) == 0 else {
            let error = SystemError.current("chmod", path: directory)
            throw EngineError(.internal, "user namespace: \(error)", cause: error)
        }
    }

    private static func owner(of path: String) throws(EngineError) -> (UInt32, UInt32) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let error = SystemError.current("lstat", path: path)
            throw EngineError(.internal, "user namespace: \(error)", cause: error)
        }
        return (info.st_uid, info.st_gid)
    }
}
