import Glibc
import SpliceAPI
import SpliceEngine

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
        let until = try (filters["until"] ?? []).map { text throws(EngineError) in try Self.untilSeconds(text) }.min()
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

    /// Unix seconds of an `until` filter: a timestamp, or a Go duration (`24h`, `1h30m`) before now.
    static func untilSeconds(_ text: String) throws(EngineError) -> Int64 {
        if let nanoseconds = APITime.nanoseconds(text) { return nanoseconds / 1_000_000_000 }
        if let duration = goDurationSeconds(text) { return Int64(time(nil)) - duration }
        throw EngineError(.invalidArgument, "failed to parse value as time or duration: \"\(text)\"")
    }

    /// Whole seconds of a Go duration made of `h`, `m` and `s` parts; nil when it is not one.
    static func goDurationSeconds(_ text: String) -> Int64? {
        var total: Double = 0
        var number = ""
        var sawUnit = false
        for character in text {
            if character.isNumber || character == "." {
                number.append(character)
                continue
            }
            let scale: Double
            switch character {
            case "h": scale = 3600
            case "m": scale = 60
            case "s": scale = 1
            default: return nil
            }
            guard let value = Double(number) else { return nil }
            total += value * scale
            number = ""
            sawUnit = true
        }
        guard sawUnit, number.isEmpty else { return nil }
        return Int64(total)
    }
}
