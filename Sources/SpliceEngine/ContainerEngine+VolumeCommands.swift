import SpliceRuntime
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// Container IDs by the name of each volume their mounts use.
    func volumeUsers() -> [String: [String]] {
        var users: [String: [String]] = [:]
        for record in records.values.sorted(by: { $0.id < $1.id }) {
            for name in Set(record.configuration.mounts.filter { $0.kind == .volume }.compactMap(\.name)) {
                users[name, default: []].append(record.id)
            }
        }
        return users
    }

    /// `POST /volumes/create`: a `local` volume (a random name when `name` is nil or empty). An existing volume
    /// of that name is returned as it is, as dockerd does.
    public func createVolume(name: String?, driver: String?, metadata: VolumeMetadata) async throws -> VolumeInfo {
        let name = name.flatMap { $0.isEmpty ? nil : $0 } ?? VolumeStore.anonymousName()
        if let driver, !driver.isEmpty, driver != "local" {
            throw EngineError(.notFound, "create \(name): error looking up volume plugin \(driver): plugin "
                + "\"\(driver)\" not found")
        }
        guard VolumeSpec.isValidName(name) else {
            throw EngineError(.invalidArgument, "create \(name): \"\(name)\" includes invalid characters for a local "
                + "volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host "
                + "directory, use absolute path")
        }
        if let reason = metadata.validate() { throw EngineError(.invalidArgument, "create \(name): \(reason)") }
        let store = volumeStore
        let created = try await BlockingWork.run { try store.create(name, metadata: metadata) }
        if created { emitVolume("create", name: name) }
        return try await volume(name)
    }

    /// `GET /volumes`: every volume, sorted by name.
    public func volumes() async throws -> [VolumeInfo] {
        let store = volumeStore
        let users = volumeUsers()
        return try await BlockingWork.run {
            store.names().map { name in
                VolumeInfo(name: name, mountpoint: store.dataPath(of: name), createdAt: store.createdAt(of: name),
                           metadata: store.metadata(of: name), users: users[name] ?? [])
            }
        }
    }

    /// `GET /volumes/{name}`.
    public func volume(_ name: String) async throws -> VolumeInfo {
        let store = volumeStore
        let users = volumeUsers()[name] ?? []
        return try await BlockingWork.run { () throws(EngineError) -> VolumeInfo in
            guard store.exists(name) else { throw EngineError(.notFound, "get \(name): no such volume") }
            return VolumeInfo(name: name, mountpoint: store.dataPath(of: name), createdAt: store.createdAt(of: name),
                              metadata: store.metadata(of: name), users: users)
        }
    }

    /// `DELETE /volumes/{name}`: refused (409) while a container uses it; `force` makes a missing volume no
    /// error, as dockerd's `--force` does.
    public func removeVolume(_ name: String, force: Bool) async throws {
        let store = volumeStore
        let users = volumeUsers()[name] ?? []
        let removed = try await BlockingWork.run { () throws(EngineError) -> Bool in
            guard store.exists(name) else {
                if force { return false }
                throw EngineError(.notFound, "get \(name): no such volume")
            }
            if !users.isEmpty {
                throw EngineError(.conflict, "remove \(name): volume is in use - [\(users.joined(separator: " "))]")
            }
            try store.remove(name)
            return true
        }
        if removed { emitVolume("destroy", name: name) }
    }

    /// `POST /volumes/prune` (API ≤ 1.41: every unused volume, named or anonymous) among `candidates`; returns the
    /// names removed and the bytes freed.
    public func pruneVolumes(_ candidates: [String]) async throws -> (names: [String], reclaimed: UInt64) {
        let users = volumeUsers()
        let unused = candidates.filter { (users[$0] ?? []).isEmpty }
        let store = volumeStore
        let removed = try await BlockingWork.run {
            var removed: [(String, Int64)] = []
            for name in unused where store.exists(name) {
                let size = store.size(of: name)
                do { try store.remove(name) } catch { continue }
                removed.append((name, size))
            }
            return removed
        }
        for (name, _) in removed { emitVolume("destroy", name: name) }
        return (removed.map(\.0), removed.reduce(0) { $0 + UInt64(max(0, $1.1)) })
    }

    /// The bytes each volume's content uses, by name (`system df`).
    public func volumeSizes() async throws -> [String: Int64] {
        let store = volumeStore
        return try await BlockingWork.run {
            Dictionary(uniqueKeysWithValues: store.names().map { ($0, store.size(of: $0)) })
        }
    }

    /// Mounts the devices of the volumes `mounts` use whose options ask for one (first use, before a start).
    func mountVolumes(_ mounts: [VolumeMount]) async throws {
        let names = mounts.filter { $0.kind == .volume }.compactMap(\.name)
        guard !names.isEmpty else { return }
        let store = volumeStore
        try await BlockingWork.run { for name in names { try store.mountIfNeeded(name) } }
    }
}
