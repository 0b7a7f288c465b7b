import Foundation
@testable import SpliceAPI

/// The volume, stats, rename, update, prune and disk-usage operations of the fake: recorded, minimal answers.
extension FakeEngine {
    func volumes(filters: [String: [String]]) async throws -> VolumeListResponse {
        record("volumes(\(filters))")
        return VolumeListResponse(Volumes: [])
    }

    func createVolume(_ request: VolumeCreateRequest) async throws -> Volume {
        record("createVolume(\(request.Name ?? ""))")
        return Volume(CreatedAt: "2026-12-06T14:49:42Z", Labels: request.Labels,
                      Mountpoint: "/var/lib/docker/volumes/\(request.Name ?? "")/_data", Name: request.Name ?? "",
                      Options: nil)
    }

    func volume(_ name: String) async throws -> Volume {
        record("volume(\(name))")
        throw EngineError(.notFound, "get \(name): no such volume")
    }

    func removeVolume(_ name: String, force: Bool) async throws { record("removeVolume(\(name), force: \(force))") }

    func pruneVolumes(filters: [String: [String]]) async throws -> VolumePruneResponse {
        record("pruneVolumes(\(filters))")
        return VolumePruneResponse()
    }

    func stats(_ id: String, stream: Bool, oneShot: Bool) async throws
        -> AsyncThrowingStream<ContainerStats, any Error> {
        record("stats(\(id), stream: \(stream), oneShot: \(oneShot))")
        try known(id)
        let (frames, continuation) = AsyncThrowingStream<ContainerStats, any Error>.makeStream()
        continuation.yield(ContainerStats(name: "/cap_main", id: Self.mainID))
        continuation.finish()
        return frames
    }

    func renameContainer(_ id: String, name: String) async throws { record("rename(\(id), \(name))") }

    func updateContainer(_ id: String, _ request: ContainerUpdateRequest) async throws -> ContainerUpdateResponse {
        record("update(\(id))")
        return ContainerUpdateResponse()
    }

    func pruneContainers(filters: [String: [String]]) async throws -> ContainerPruneResponse {
        record("pruneContainers(\(filters))")
        return ContainerPruneResponse()
    }

    func diskUsage() async throws -> DiskUsage {
        record("diskUsage")
        return DiskUsage(LayersSize: 0, Images: [], Containers: [], Volumes: [])
    }
}
