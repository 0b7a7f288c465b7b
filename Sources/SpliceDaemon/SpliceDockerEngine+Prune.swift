import Glibc
import SpliceAPI
import SpliceEngine
import struct EngineErrors.EngineError

extension SpliceDockerEngine {
    /// `POST /containers/{id}/rename`.
    public func renameContainer(_ id: String, name: String) async throws {
        try await mapped {
            try await engine.rename(id, to: name)
            // The embedded DNS answers the new name at once.
            await engine.refreshResolver()
        }
    }

    /// `POST /containers/prune`: removes every container that is neither running nor paused (created, exited,
    /// dead), narrowed by `until` (created before) and `label`/`label!`; answers the IDs and their layers' bytes.
    public func pruneContainers(filters: [String: [String]]) async throws -> ContainerPruneResponse {
        for key in filters.keys.sorted() where !["until", "label", "label!"].contains(key) {
            throw EngineError(.invalidArgument, "invalid filter '\(key)'")
        }
        let now = Int64(time(nil))
        let until = try (filters["until"] ?? []).map { text throws(EngineError) in
            try APITime.untilSeconds(text, now: now)
        }.min()
        let candidates = await engine.containers(all: true).filter { record in
            let labels = record.configuration.request.labels
            return !record.state.isListed
                && until.map { record.createdSeconds < $0 } ?? true
                && LabelFilter.matches(labels, filters["label"] ?? [])
                && !(filters["label!"] ?? []).contains { LabelFilter.matches(labels, $0) }
        }
        let sizes = try await mapped { try await engine.layerSizes(of: candidates.map(\.id)) }
        var deleted: [String] = []
        var reclaimed: UInt64 = 0
        for record in candidates {
            do { try await engine.remove(record.id, force: false) } catch { continue }
            deleted.append(record.id)
            reclaimed += UInt64(max(0, sizes[record.id] ?? 0))
        }
        await engine.recordPrune(type: "container", reclaimed: reclaimed)
        return ContainerPruneResponse(ContainersDeleted: deleted.isEmpty ? nil : deleted, SpaceReclaimed: reclaimed)
    }
}
