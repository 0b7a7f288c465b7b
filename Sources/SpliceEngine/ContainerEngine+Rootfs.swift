import CLinuxShims
import Glibc
import SpliceImages
import SystemKit
import struct EngineErrors.EngineError

/// A container's root file system opened for `docker cp` or `docker export`, and what to undo afterwards.
public struct RootfsAccess: Sendable {
    /// The container's id.
    public let id: String
    /// The root: `/proc/PID/root` of a running container (its volumes and binds included, as docker cp reads them),
    /// else a detached overlay mount of its layers that no other process sees.
    public let filesystem: ContainerFilesystem
    /// Maps a tar's owners to the disk's (the remapped root of a user-namespaced container).
    public let owner: @Sendable (UInt32, UInt32) -> (UInt32, UInt32)
    /// Whether the container's root is read-only (`--read-only`).
    public let readOnly: Bool
    /// Whether the engine holds the container busy until `releaseRootfs` (a writable overlay of a stopped one).
    public let holdsContainer: Bool
}

extension ContainerEngine {
    /// What a root is opened for.
    public enum RootfsPurpose: Sendable {
        /// `HEAD`/`GET` archive: a running container through its own mounts.
        case read
        /// `PUT` archive: as `read`, but a stopped container's layer is mounted writable and the container is held
        /// (a start waits for `releaseRootfs`).
        case write
        /// `export`: the layers alone (no volumes, `/proc` or binds), running or not.
        case layers
    }

    /// Opens container `reference`'s root for `purpose`; call `releaseRootfs` when done.
    public func openRootfs(_ reference: String, for purpose: RootfsPurpose) async throws -> RootfsAccess {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        let request = record.configuration.request
        let remap = userNamespaceRemap(for: request)
        let owner: @Sendable (UInt32, UInt32) -> (UInt32, UInt32) = { uid, gid in
            guard let remap else { return (uid, gid) }
            return (remap.hostUID(uid) ?? uid, remap.hostGID(gid) ?? gid)
        }
        if purpose != .layers, record.state.isRunning, record.state.pid > 0 {
            let root = try RootDirectory.open("/proc/\(record.state.pid)/root")
            return RootfsAccess(id: id, filesystem: ContainerFilesystem(root: root), owner: owner,
                                readOnly: request.readonlyRootfs, holdsContainer: false)
        }
        let imageID = record.configuration.imageID
        let images = images
        let lower = try await BlockingWork.run { try images.lowerDirectories(for: imageID) }
        let base = store.path(of: id)
        let upper = base + "/upper", work = base + "/work"
        if purpose == .write {
            guard !isBusy(id) else {
                throw EngineError(.conflict, "container \(id) is being started or removed")
            }
            if let remap, remap.idmappedLayers {
                // Its lower layers are shifted only inside the container's own mounts (splice-init builds them).
                throw EngineError(.invalidArgument,
                                  "copying into a stopped user-namespaced container is not supported yet: start it")
            }
            setBusy(id, true)
            do {
                let graph = configuration.graph
                let root = try await BlockingWork.run { () throws -> RootDirectory in
                    for directory in [upper, work] where mkdir(directory, 0o755) == 0 {
                        if let remap { chown(directory, remap.rootUID, remap.rootGID) }
                    }
                    // A remapped container's layers are the shifted copies it runs on, so what is copied up keeps
                    // the owners the container sees.
                    let layers = try remap.map { (remap) throws(EngineError) in
                        try remap.remappedLayers(lower, graph: graph)
                    } ?? lower
                    let fd = cls_overlay_mount_fd(layers.joined(separator: ":"), upper, work)
                    if fd < 0 { throw SystemError.current("fsmount overlay", path: upper) }
                    return RootDirectory(FileDescriptor(owning: fd))
                }
                return RootfsAccess(id: id, filesystem: ContainerFilesystem(root: root), owner: owner,
                                    readOnly: request.readonlyRootfs, holdsContainer: true)
            } catch {
                setBusy(id, false)
                throw error
            }
        }
        let root = try await BlockingWork.run { () throws -> RootDirectory in
            var layers = lower
            if access(upper, F_OK) == 0 { layers.insert(upper, at: 0) }
            if layers.count == 1 { return try RootDirectory.open(layers[0]) }
            let fd = cls_overlay_readonly_mount_fd(layers.joined(separator: ":"))
            if fd < 0 { throw SystemError.current("fsmount overlay", path: layers[0]) }
            return RootDirectory(FileDescriptor(owning: fd))
        }
        return RootfsAccess(id: id, filesystem: ContainerFilesystem(root: root), owner: owner,
                            readOnly: request.readonlyRootfs, holdsContainer: false)
    }

    /// Records dockerd's container event of a copy or export: `archive-path`, `extract-to-dir` or `export`.
    public func recordRootfsEvent(_ action: String, id: String) { emit(action, id: id) }

    /// Lets container `id` start again after a writable `openRootfs` that held it; call it once the access and
    /// every descriptor from it are gone (the overlay goes with its last descriptor).
    public func releaseRootfs(id: String) { setBusy(id, false) }
}
