import Glibc
import SpliceAPI
import SpliceEngine

extension SpliceDockerEngine {
    /// `GET /system/df`: images with their container counts and shared layer bytes, every container with
    /// `SizeRw`/`SizeRootFs`, volumes with `UsageData`, and an empty build cache.
    public func diskUsage() async throws -> DiskUsage {
        var images = try await images(ImageListOptions())
        let store = engine.images
        let layers = try await imageCall { try store.layerUsage() }
        let records = await engine.containers(all: true)
        let sizes = try await mapped { try await engine.layerSizes(of: records.map(\.id)) }
        var imageSizes: [String: Int64] = [:]
        for index in images.indices {
            let id = images[index].Id
            images[index].Containers = records.filter { $0.configuration.imageID == id }.count
            images[index].SharedSize = layers.sharedSize[id] ?? 0
            imageSizes[id] = images[index].Size
        }
        let now = Int64(time(nil))
        let containers = records.map { record in
            var summary = record.summary(now: now)
            summary.State = record.state.status.rawValue
            summary.SizeRw = sizes[record.id] ?? 0
            summary.SizeRootFs = (sizes[record.id] ?? 0) + (imageSizes[record.configuration.imageID] ?? 0)
            return summary
        }
        let volumeSizes = try await mapped { try await engine.volumeSizes() }
        let volumes = try await mapped { try await engine.volumes() }.map { info in
            var volume = Self.wire(info)
            volume.UsageData = .init(RefCount: info.users.count, Size: volumeSizes[info.name] ?? -1)
            return volume
        }
        return DiskUsage(LayersSize: layers.layersSize, Images: images, Containers: containers, Volumes: volumes)
    }
}
