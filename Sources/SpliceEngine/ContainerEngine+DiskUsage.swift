import SystemKit

extension ContainerEngine {
    /// The bytes each container's own layer (`<graph>/containers/<id>/upper`) holds, by ID: `SizeRw`.
    public func layerSizes(of ids: [String]) async throws -> [String: Int64] {
        let paths = ids.map { ($0, store.path(of: $0) + "/upper") }
        return try await BlockingWork.run {
            Dictionary(uniqueKeysWithValues: paths.map { ($0.0, Directory.apparentSize(of: $0.1)) })
        }
    }
}
