import SpliceAPI
import SpliceEngine

extension SpliceDockerEngine {
    /// `POST /auth`: not in this slice.
    public func authenticate(_ config: AuthConfig) async throws -> AuthResponse { throw Self.notImplemented("login") }

    /// `GET /images/search`: not in this slice.
    public func searchImages(term: String, limit: Int?, filters: [String: [String]], auth: AuthConfig?) async throws
        -> [ImageSearchResult] { throw Self.notImplemented("search") }

    /// `POST /images/create?fromImage=`: not in this slice.
    public func pullImage(_ repository: String, tag: String?, auth: AuthConfig?) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error> { throw Self.notImplemented("pull") }

    /// `POST /images/{name}/push`: not in this slice.
    public func pushImage(_ name: String, tag: String?, auth: AuthConfig?) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error> { throw Self.notImplemented("push") }
}
