import SpliceAPI
import SpliceEngine

extension SpliceDockerEngine {

    /// `GET /containers/{id}/changes`: not in this slice.
    public func changes(_ id: String) async throws -> [ContainerChange] { throw Self.notImplemented("diff") }

    /// `GET /containers/{id}/export`: not in this slice.
    public func export(_ id: String) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        throw Self.notImplemented("export")
    }

    /// `GET /containers/{id}/archive`: not in this slice.
    public func archive(_ id: String, path: String) async throws -> ArchiveOutput { throw Self.notImplemented("cp") }

    /// `HEAD /containers/{id}/archive`: not in this slice.
    public func archiveStat(_ id: String, path: String) async throws -> PathStat { throw Self.notImplemented("cp") }

    /// `PUT /containers/{id}/archive`: not in this slice.
    public func extractArchive(_ id: String, path: String, noOverwriteDirNonDir: Bool, body: AsyncStream<[UInt8]>)
        async throws { throw Self.notImplemented("cp") }

    /// `POST /commit`: not in this slice.
    public func commit(_ options: CommitOptions) async throws -> IDResponse { throw Self.notImplemented("commit") }







    /// `GET /images/get`: not in this slice.
    public func saveImages(_ names: [String]) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        throw Self.notImplemented("save")
    }

    /// `POST /images/load`: not in this slice.
    public func loadImages(quiet: Bool, body: AsyncStream<[UInt8]>) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error> { throw Self.notImplemented("load") }
}
