import DockerModels
import SpliceAPI
import struct EngineErrors.EngineError

/// A `DockerEngine` that knows nothing: every call reads the request body it was given to its end (so a body's
/// framing is exercised) and then answers "No such object". The `http` fuzz target puts it behind the router, so
/// what runs is the server's own parsing and routing.
struct RefusingEngine: DockerEngine {
    /// The answer to every call.
    static func refuse(_ body: RequestBody? = nil) async throws -> Never {
        if let body { for try await _ in body {} }
        throw EngineError(.notFound, "no such object")
    }

    func version() async throws -> SystemVersion { try await Self.refuse() }
    func info() async throws -> SystemInfo { try await Self.refuse() }
    func authenticate(_ config: AuthConfig) async throws -> AuthResponse { try await Self.refuse() }
    func events(_ options: EventOptions)
        async throws -> AsyncThrowingStream<EventMessage, any Error>
    {
        try await Self.refuse()
    }
    func containers(_ options: ContainerListOptions) async throws -> [ContainerSummary] { try await Self.refuse() }
    func createContainer(name: String?, _ request: ContainerCreateRequest)
        async throws -> ContainerCreateResponse
    {
        try await Self.refuse()
    }
    func container(_ id: String) async throws -> ContainerInspect { try await Self.refuse() }
    func startContainer(_ id: String) async throws -> StateChange { try await Self.refuse() }
    func stopContainer(_ id: String, timeout: Int?) async throws -> StateChange { try await Self.refuse() }
    func restartContainer(_ id: String, timeout: Int?) async throws { try await Self.refuse() }
    func killContainer(_ id: String, signal: String?) async throws { try await Self.refuse() }
    func pauseContainer(_ id: String) async throws { try await Self.refuse() }
    func unpauseContainer(_ id: String) async throws { try await Self.refuse() }
    func waitContainer(_ id: String, condition: WaitCondition) async throws -> WaitHandle { try await Self.refuse() }
    func removeContainer(_ id: String, _ options: RemoveContainerOptions) async throws { try await Self.refuse() }
    func top(_ id: String, psArgs: String?) async throws -> ContainerTopResponse { try await Self.refuse() }
    func logs(_ id: String, _ options: LogsOptions) async throws -> ProcessOutput { try await Self.refuse() }
    func attach(_ id: String, _ options: AttachOptions, stdin: AsyncStream<[UInt8]>)
        async throws -> ProcessOutput
    {
        try await Self.refuse()
    }
    func resizeContainer(_ id: String, height: Int, width: Int) async throws { try await Self.refuse() }
    func changes(_ id: String) async throws -> [ContainerChange] { try await Self.refuse() }
    func export(_ id: String) async throws -> AsyncThrowingStream<[UInt8], any Error> { try await Self.refuse() }
    func archive(_ id: String, path: String) async throws -> ArchiveOutput { try await Self.refuse() }
    func archiveStat(_ id: String, path: String) async throws -> PathStat { try await Self.refuse() }
    func extractArchive(_ id: String, path: String, noOverwriteDirNonDir: Bool, body: RequestBody)
        async throws
    {
        try await Self.refuse(body)
    }
    func commit(_ options: CommitOptions) async throws -> IDResponse { try await Self.refuse() }
    func createExec(container id: String, _ config: ExecConfig) async throws -> IDResponse { try await Self.refuse() }
    func startExec(_ id: String, _ config: ExecStartConfig, stdin: AsyncStream<[UInt8]>)
        async throws -> ProcessOutput
    {
        try await Self.refuse()
    }
    func startExecDetached(_ id: String, _ config: ExecStartConfig) async throws { try await Self.refuse() }
    func exec(_ id: String) async throws -> ExecInspect { try await Self.refuse() }
    func resizeExec(_ id: String, height: Int, width: Int) async throws { try await Self.refuse() }
    func images(_ options: ImageListOptions) async throws -> [ImageSummary] { try await Self.refuse() }
    func image(_ name: String) async throws -> ImageInspect { try await Self.refuse() }
    func tagImage(_ name: String, repository: String, tag: String?) async throws { try await Self.refuse() }
    func removeImage(_ name: String, force: Bool, noPrune: Bool)
        async throws -> [ImageDeleteResponseItem]
    {
        try await Self.refuse()
    }
    func history(_ name: String) async throws -> [ImageHistoryItem] { try await Self.refuse() }
    func searchImages(term: String, limit: Int?, filters: [String: [String]], auth: AuthConfig?)
        async throws -> [ImageSearchResult]
    {
        try await Self.refuse()
    }
    func pullImage(_ repository: String, tag: String?, auth: AuthConfig?)
        async throws -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        try await Self.refuse()
    }
    func pushImage(_ name: String, tag: String?, auth: AuthConfig?)
        async throws -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        try await Self.refuse()
    }
    func saveImages(_ names: [String])
        async throws -> AsyncThrowingStream<[UInt8], any Error>
    {
        try await Self.refuse()
    }
    func loadImages(quiet: Bool, body: RequestBody)
        async throws -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        try await Self.refuse(body)
    }
    func build(_ options: BuildOptions, context: RequestBody)
        async throws -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        try await Self.refuse(context)
    }
    func importImage(_ options: ImageImportOptions, body: RequestBody)
        async throws -> AsyncThrowingStream<ProgressMessage, any Error>
    {
        try await Self.refuse(body)
    }
    func pruneImages(filters: [String: [String]]) async throws -> ImagePruneResponse { try await Self.refuse() }
    func volumes(filters: [String: [String]]) async throws -> VolumeListResponse { try await Self.refuse() }
    func createVolume(_ request: VolumeCreateRequest) async throws -> Volume { try await Self.refuse() }
    func volume(_ name: String) async throws -> Volume { try await Self.refuse() }
    func removeVolume(_ name: String, force: Bool) async throws { try await Self.refuse() }
    func pruneVolumes(filters: [String: [String]]) async throws -> VolumePruneResponse { try await Self.refuse() }
    func stats(_ id: String, stream: Bool, oneShot: Bool)
        async throws -> AsyncThrowingStream<ContainerStats, any Error>
    {
        try await Self.refuse()
    }
    func renameContainer(_ id: String, name: String) async throws { try await Self.refuse() }
    func updateContainer(_ id: String, _ request: ContainerUpdateRequest)
        async throws -> ContainerUpdateResponse
    {
        try await Self.refuse()
    }
    func pruneContainers(filters: [String: [String]]) async throws -> ContainerPruneResponse { try await Self.refuse() }
    func diskUsage() async throws -> DiskUsage { try await Self.refuse() }
}
