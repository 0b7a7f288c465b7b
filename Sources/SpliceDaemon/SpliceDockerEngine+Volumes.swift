import DockerModels
import SpliceAPI
import SpliceEngine
import struct EngineErrors.EngineError

extension SpliceDockerEngine {
    /// `GET /volumes`, with dockerd's filters: `dangling`, `name` (substring), `driver`, `label`.
    public func volumes(filters: [String: [String]]) async throws -> VolumeListResponse {
        try Self.validateVolumeFilters(filters, known: ["dangling", "name", "driver", "label"])
        let volumes = try await mapped { try await engine.volumes() }
        return VolumeListResponse(Volumes: volumes.filter { Self.matches($0, filters) }.map(Self.wire))
    }

    /// `POST /volumes/create`.
    public func createVolume(_ request: VolumeCreateRequest) async throws -> Volume {
        let metadata = VolumeMetadata(labels: request.Labels,
                                      options: request.DriverOpts.flatMap { $0.isEmpty ? nil : $0 })
        return try await mapped {
            Self.wire(try await engine.createVolume(name: request.Name, driver: request.Driver, metadata: metadata))
        }
    }

    /// `GET /volumes/{name}`.
    public func volume(_ name: String) async throws -> Volume {
        try await mapped { Self.wire(try await engine.volume(name)) }
    }

    /// `DELETE /volumes/{name}`.
    public func removeVolume(_ name: String, force: Bool) async throws {
        try await mapped { try await engine.removeVolume(name, force: force) }
    }

    /// `POST /volumes/prune`: on API ≤ 1.41 every unused volume, named or anonymous (dockerd 20.10's behaviour),
    /// narrowed by `label`/`label!`.
    public func pruneVolumes(filters: [String: [String]]) async throws -> VolumePruneResponse {
        try Self.validateVolumeFilters(filters, known: ["label", "label!"])
        return try await mapped {
            let candidates = try await engine.volumes().filter { Self.matches($0, filters) }.map(\.name)
            let (names, reclaimed) = try await engine.pruneVolumes(candidates)
            await engine.recordPrune(type: "volume", reclaimed: reclaimed)
            return VolumePruneResponse(VolumesDeleted: names.isEmpty ? nil : names, SpaceReclaimed: reclaimed)
        }
    }

    /// Rejects unknown filter keys and bad `dangling` values, as dockerd does.
    static func validateVolumeFilters(_ filters: [String: [String]], known: Set<String>) throws(EngineError) {
        for key in filters.keys.sorted() where !known.contains(key) {
            throw EngineError(.invalidArgument, "invalid filter '\(key)'")
        }
        for value in filters["dangling"] ?? [] where !["true", "false", "1", "0"].contains(value.lowercased()) {
            throw EngineError(.invalidArgument, "invalid filter 'dangling=\(value)'")
        }
    }

    /// Whether `volume` passes every filter key (values of one key are alternatives, `label` values all apply).
    static func matches(_ volume: VolumeInfo, _ filters: [String: [String]]) -> Bool {
        let labels = volume.metadata.labels ?? [:]
        for (key, values) in filters where !values.isEmpty {
            let pass: Bool
            switch key {
            case "dangling": pass = values.contains { ["true", "1"].contains($0.lowercased()) == volume.users.isEmpty }
            case "name": pass = values.contains { FilterPattern.matches($0, volume.name) }
            case "driver": pass = values.contains("local")
            case "label": pass = LabelFilter.matches(labels, values)
            case "label!": pass = !values.contains { LabelFilter.matches(labels, $0) }
            default: pass = true
            }
            if !pass { return false }
        }
        return true
    }

    /// The Engine API's shape of a volume.
    static func wire(_ volume: VolumeInfo) -> Volume {
        Volume(CreatedAt: volume.createdAt, Labels: volume.metadata.labels, Mountpoint: volume.mountpoint,
               Name: volume.name, Options: volume.metadata.options)
    }
}
