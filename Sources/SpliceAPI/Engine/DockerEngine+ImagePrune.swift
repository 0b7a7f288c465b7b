import struct EngineErrors.EngineError

extension DockerEngine {
    /// `POST /images/prune[?filters=]`: engines without it answer "not implemented yet" (503).
    public func pruneImages(filters: [String: [String]]) async throws -> ImagePruneResponse {
        throw EngineError(.unavailable, "not implemented yet: image prune")
    }

    /// `POST /build/prune[?all=1]`: engines without a build cache have nothing to delete.
    public func pruneBuildCache(all: Bool) async throws -> BuildCachePruneResponse { BuildCachePruneResponse() }
}
