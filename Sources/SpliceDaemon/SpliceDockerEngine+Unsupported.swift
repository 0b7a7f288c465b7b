import SpliceAPI
import SpliceEngine

extension SpliceDockerEngine {
    /// `POST /auth`: not in this slice.
    public func authenticate(_ config: AuthConfig) async throws -> AuthResponse { throw Self.notImplemented("login") }

    /// `GET /containers/{id}/export`: not in this slice.
    public func export(_ id: String) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        throw Self.notImplemented("export")
    }

    /// `GET /containers/{id}/archive`: not in this slice.
    public func archive(_ id: String, path: String) async throws -> ArchiveOutput { throw Self.notImplemented("cp") }

    /// `HEAD /containers/{id}/archive`: not in this slice.
    public func archiveStat(_ id: String, path: String) async throws -> PathStat { throw Self.notImplemented("cp") }

    /// `PUT /containers/{id}/archive`: not in this slice.
    public func extractArchive(_ id: String, path: String, noOverwriteDirNonDir: Bool, body: RequestBody)
        async throws { throw Self.notImplemented("cp") }





    /// `GET /images/search`: not in this slice.
    public func searchImages(term: String, limit: Int?, filters: [String: [String]], auth: AuthConfig?) async throws
        -> [ImageSearchResult] { throw Self.notImplemented("search") }

    /// `POST /images/create?fromImage=`: not in this slice.
    public func pullImage(_ repository: String, tag: String?, auth: AuthConfig?) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error> { throw Self.notImplemented("pull") }

    /// `POST /images/{name}/push`: not in this slice.
    public func pushImage(_ name: String, tag: String?, auth: AuthConfig?) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error> { throw Self.notImplemented("push") }

    /// `GET /images/get`: not in this slice.
    public func saveImages(_ names: [String]) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        throw Self.notImplemented("save")
    }

    /// `POST /images/load`: not in this slice.
    public func loadImages(quiet: Bool, body: RequestBody) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error> { throw Self.notImplemented("load") }
}
