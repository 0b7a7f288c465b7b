import SpliceAPI
import SpliceEngine
import enum SpliceImages.RemovalEvent

extension SpliceDockerEngine {
    /// `POST /images/{name}/tag?repo=&tag=`: `repository` arrives normalized (`docker.io/library/x`).
    public func tagImage(_ name: String, repository: String, tag: String?) async throws {
        let store = engine.images
        let target = repository + ":" + ((tag?.isEmpty ?? true) ? "latest" : tag ?? "latest")
        try await imageCall { try store.tag(source: name, target: target) }
    }

    /// `DELETE /images/{name}[?force=1][&noprune=1]`: untags, and deletes the image with its last name unless a
    /// container (running or not) uses it and `force` is off, in Docker's words; its untagged parents go too unless
    /// `noprune`.
    public func removeImage(_ name: String, force: Bool, noPrune: Bool) async throws -> [ImageDeleteResponseItem] {
        let store = engine.images
        let users = await engine.containers(all: true).map { ($0.id, $0.configuration.imageID) }
        let events = try await imageCall {
            try store.remove(reference: name, force: force, prune: !noPrune) { image in
                users.filter { $0.1 == image.description }.map(\.0)
            }
        }
        return events.map { event in
            switch event {
            case .untagged(let reference): ImageDeleteResponseItem(Untagged: reference)
            case .deleted(let id): ImageDeleteResponseItem(Deleted: id)
            }
        }
    }

    /// `GET /images/{name}/history`, newest first.
    public func history(_ name: String) async throws -> [ImageHistoryItem] {
        let store = engine.images
        return try await imageCall { try store.history(of: name) }
    }
}
