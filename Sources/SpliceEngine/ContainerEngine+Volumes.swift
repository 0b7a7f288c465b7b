import SpliceRuntime
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// The volume store under the graph directory.
    nonisolated var volumeStore: VolumeStore { VolumeStore(root: configuration.graph + "/volumes") }

    /// Resolves `-v`, `Config.Volumes`, the image's volumes and `--volumes-from` into mounts, in dockerd's
    /// precedence (binds and named volumes, then volumes-from, then anonymous ones for paths still free); creates
    /// named volumes on first use and anonymous ones, each populated with the image's content at its path.
    func resolveMounts(_ request: ContainerCreateOptions, imageVolumes: [String], layers: [String]) async throws
        -> [VolumeMount]
    {
        var mounts: [VolumeMount] = []
        var taken = Set<String>()
        func claim(_ destination: String) throws(EngineError) {
            let normalized = Self.normalize(destination)
            guard taken.insert(normalized).inserted else {
                throw EngineError(.invalidArgument, "Duplicate mount point: \(normalized)")
            }
        }
        for text in request.binds + request.mounts.compactMap(\.bindText) {
            let spec = try VolumeSpec.parse(text)
            try claim(spec.destination)
            let destination = Self.normalize(spec.destination)
            switch spec.source {
            case .bind(let source):
                mounts.append(VolumeMount(kind: .bind, source: source, destination: destination,
                                          readOnly: spec.readOnly, mode: spec.mode))
            case .named(let name):
                mounts.append(VolumeMount(kind: .volume, name: name, source: volumeStore.dataPath(of: name),
                                          destination: destination, readOnly: spec.readOnly, mode: spec.mode))
            case .anonymous:
                let name = VolumeStore.anonymousName()
                mounts.append(VolumeMount(kind: .volume, name: name, source: volumeStore.dataPath(of: name),
                                          destination: destination, anonymous: true))
            }
        }
        for text in request.volumesFrom {
            let (reference, forced) = try VolumeSpec.parseVolumesFrom(text)
            let other = try container(reference)
            for mount in other.configuration.mounts where !taken.contains(mount.destination) {
                taken.insert(mount.destination)
                var copy = mount
                copy.anonymous = false  // owned by the other container
                if let forced {
                    copy.readOnly = forced
                    copy.mode = forced ? "ro" : "rw"
                }
                mounts.append(copy)
            }
        }
        for path in request.volumes + imageVolumes {
            let destination = Self.normalize(path)
            guard taken.insert(destination).inserted else { continue }
            let name = VolumeStore.anonymousName()
            mounts.append(VolumeMount(kind: .volume, name: name, source: volumeStore.dataPath(of: name),
                                      destination: destination, anonymous: true))
        }
        let store = volumeStore
        let volumes = mounts.filter { $0.kind == .volume }
        try await BlockingWork.run {
            var created: [String] = []
            do {
                for mount in volumes {
                    guard let name = mount.name, try store.create(name) else { continue }
                    created.append(name)
                    // `nocopy` (`-v name:/path:nocopy`, `--mount …,volume-nocopy`): a new volume stays empty.
                    if !mount.mode.split(separator: ",").contains("nocopy") {
                        store.populate(name, from: layers, path: mount.destination)
                    }
                }
            } catch {
                for name in created.reversed() { try? store.remove(name) }
                throw error
            }
        }
        return mounts
    }

    /// Removes the anonymous volumes of `record` (a container being removed with `rm -v`, or `--rm`) that no
    /// other container uses; named volumes are never removed. `remove` calls this after the record is gone.
    public func removeVolumes(of record: ContainerRecord) async {
        let inUse = Set(records.values.filter { $0.id != record.id }
            .flatMap { $0.configuration.mounts.compactMap(\.name) })
        let names = record.configuration.mounts.filter { $0.anonymous && $0.kind == .volume }.compactMap(\.name)
            .filter { !inUse.contains($0) }
        guard !names.isEmpty else { return }
        let store = volumeStore
        _ = try? await BlockingWork.run { for name in names { try? store.remove(name) } }
    }

    /// `/a//b/` → `/a/b`.
    static func normalize(_ path: String) -> String {
        "/" + path.split(separator: "/").joined(separator: "/")
    }
}
