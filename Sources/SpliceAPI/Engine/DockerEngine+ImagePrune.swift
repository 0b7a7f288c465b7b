extension DockerEngine {
    /// `POST /images/prune[?filters=]`: engines without it answer "not implemented yet" (503).
    public func pruneImages(filters: [String: [String]]) async throws -> ImagePruneResponse {
        throw EngineError(.unavailable, "not implemented yet: image prune")
    }
}
