/// What the API server needs from the container engine, one method per Docker Engine API operation.
///
/// Names and IDs are passed as the client sent them (name, `/name`, ID or unique prefix); resolving them is
/// the engine's job. Failures are thrown as `EngineError`; anything else becomes a 500.
public protocol DockerEngine: Sendable {
    /// `GET /version`.
    func version() async throws -> SystemVersion
    /// `GET /info`.
    func info() async throws -> SystemInfo
    /// `POST /auth`: checks the credentials against `http://<serveraddress>/v2/`.
    func authenticate(_ config: AuthConfig) async throws -> AuthResponse
    /// `GET /events`: replays stored events from `since`, then streams live ones (ends at `until`).
    func events(_ options: EventOptions) async throws -> AsyncThrowingStream<EventMessage, any Error>

    /// `GET /containers/json`, newest first.
    func containers(_ options: ContainerListOptions) async throws -> [ContainerSummary]
    /// `POST /containers/create[?name=N]`.
    func createContainer(name: String?, _ request: ContainerCreateRequest) async throws -> ContainerCreateResponse
    /// `GET /containers/{id}/json`.
    func container(_ id: String) async throws -> ContainerInspect
    /// `POST /containers/{id}/start`.
    func startContainer(_ id: String) async throws -> StateChange
    /// `POST /containers/{id}/stop[?t=N]`; nil timeout means the default (10 s).
    func stopContainer(_ id: String, timeout: Int?) async throws -> StateChange
    /// `POST /containers/{id}/restart[?t=N]`.
    func restartContainer(_ id: String, timeout: Int?) async throws
    /// `POST /containers/{id}/kill[?signal=S]`; the signal as typed (`SIGUSR1`, `USR1`, `9`), nil means SIGKILL.
    func killContainer(_ id: String, signal: String?) async throws
    /// `POST /containers/{id}/pause`.
    func pauseContainer(_ id: String) async throws
    /// `POST /containers/{id}/unpause`.
    func unpauseContainer(_ id: String) async throws
    /// `POST /containers/{id}/wait`: registers the waiter (throwing 404 etc. now), returns a handle to await.
    func waitContainer(_ id: String, condition: WaitCondition) async throws -> WaitHandle
    /// `DELETE /containers/{id}`.
    func removeContainer(_ id: String, _ options: RemoveContainerOptions) async throws
    /// `GET /containers/{id}/top[?ps_args=...]`.
    func top(_ id: String, psArgs: String?) async throws -> ContainerTopResponse
    /// `GET /containers/{id}/logs`.
    func logs(_ id: String, _ options: LogsOptions) async throws -> ProcessOutput
    /// `POST /containers/{id}/attach` (hijacked): `stdin` ends when the client half-closes.
    func attach(_ id: String, _ options: AttachOptions, stdin: AsyncStream<[UInt8]>) async throws -> ProcessOutput
    /// `POST /containers/{id}/resize?h=&w=`.
    func resizeContainer(_ id: String, height: Int, width: Int) async throws

    /// `GET /containers/{id}/changes`.
    func changes(_ id: String) async throws -> [ContainerChange]
    /// `GET /containers/{id}/export`: the merged root filesystem as a tar stream.
    func export(_ id: String) async throws -> AsyncThrowingStream<[UInt8], any Error>
    /// `GET /containers/{id}/archive?path=`: stat and tar of a path (also on stopped containers).
    func archive(_ id: String, path: String) async throws -> ArchiveOutput
    /// `HEAD /containers/{id}/archive?path=`: the stat only; `notFound` when the path is missing.
    func archiveStat(_ id: String, path: String) async throws -> PathStat
    /// `PUT /containers/{id}/archive?path=DIR`: extracts the streamed tar into DIR.
    func extractArchive(_ id: String, path: String, noOverwriteDirNonDir: Bool, body: RequestBody) async throws
    /// `POST /commit?container=...`.
    func commit(_ options: CommitOptions) async throws -> IDResponse

    /// `POST /containers/{id}/exec`.
    func createExec(container id: String, _ config: ExecConfig) async throws -> IDResponse
    /// `POST /exec/{id}/start` (hijacked); the exit code must be recorded before `chunks` ends.
    func startExec(_ id: String, _ config: ExecStartConfig, stdin: AsyncStream<[UInt8]>) async throws -> ProcessOutput
    /// `POST /exec/{id}/start` with `Detach: true`: returns once the process has started.
    func startExecDetached(_ id: String, _ config: ExecStartConfig) async throws
    /// `GET /exec/{id}/json`.
    func exec(_ id: String) async throws -> ExecInspect
    /// `POST /exec/{id}/resize?h=&w=`.
    func resizeExec(_ id: String, height: Int, width: Int) async throws

    /// `GET /images/json`, newest first.
    func images(_ options: ImageListOptions) async throws -> [ImageSummary]
    /// `GET /images/{name}/json`.
    func image(_ name: String) async throws -> ImageInspect
    /// `POST /images/{name}/tag?repo=&tag=`; `repository` arrives normalized (`docker.io/library/x`).
    func tagImage(_ name: String, repository: String, tag: String?) async throws
    /// `DELETE /images/{name}[?force=1][&noprune=1]`.
    func removeImage(_ name: String, force: Bool, noPrune: Bool) async throws -> [ImageDeleteResponseItem]
    /// `GET /images/{name}/history`, newest first.
    func history(_ name: String) async throws -> [ImageHistoryItem]
    /// `GET /images/search?term=`.
    func searchImages(term: String, limit: Int?, filters: [String: [String]], auth: AuthConfig?) async throws
        -> [ImageSearchResult]
    /// `POST /images/create?fromImage=&tag=`: throw before streaming (404 for a missing tag), fail in-band after.
    func pullImage(_ repository: String, tag: String?, auth: AuthConfig?) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    /// `POST /images/{name}/push?tag=`.
    func pushImage(_ name: String, tag: String?, auth: AuthConfig?) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    /// `GET /images/get?names=A&names=B`: a docker-save tar stream.
    func saveImages(_ names: [String]) async throws -> AsyncThrowingStream<[UInt8], any Error>
    /// `POST /images/load?quiet=`: the tar arrives as `body`; answers `{"stream":"Loaded image: ..."}` lines.
    func loadImages(quiet: Bool, body: RequestBody) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    /// `POST /build`: the context tar arrives as `context`; the steps are streamed back, a failure in-band.
    func build(_ options: BuildOptions, context: RequestBody) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    /// `POST /images/create?fromSrc=-`: the tar arrives as `body`; progress is streamed back.
    func importImage(_ options: ImageImportOptions, body: RequestBody) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error>
    /// `POST /images/prune[?filters=]`: dangling images (all unused ones with `dangling=false`) no container uses.
    func pruneImages(filters: [String: [String]]) async throws -> ImagePruneResponse
    /// `POST /build/prune[?all=1]`: deletes build cache records (`docker builder prune`, `docker system prune`).
    func pruneBuildCache(all: Bool) async throws -> BuildCachePruneResponse

    /// `GET /volumes[?filters=]`: filters `dangling`, `name`, `driver`, `label`.
    func volumes(filters: [String: [String]]) async throws -> VolumeListResponse
    /// `POST /volumes/create`.
    func createVolume(_ request: VolumeCreateRequest) async throws -> Volume
    /// `GET /volumes/{name}`.
    func volume(_ name: String) async throws -> Volume
    /// `DELETE /volumes/{name}[?force=1]`.
    func removeVolume(_ name: String, force: Bool) async throws
    /// `POST /volumes/prune[?filters=]`: unused volumes, filtered by `label`/`label!`.
    func pruneVolumes(filters: [String: [String]]) async throws -> VolumePruneResponse

    /// `GET /containers/{id}/stats?stream=&one-shot=`: frames once a second while streaming, else one.
    func stats(_ id: String, stream: Bool, oneShot: Bool) async throws -> AsyncThrowingStream<ContainerStats, any Error>
    /// `POST /containers/{id}/rename?name=`.
    func renameContainer(_ id: String, name: String) async throws
    /// `POST /containers/{id}/update`: new resources applied to the running container and kept.
    func updateContainer(_ id: String, _ request: ContainerUpdateRequest) async throws -> ContainerUpdateResponse
    /// `POST /containers/prune[?filters=]`: removes stopped containers (filters `until`, `label`, `label!`).
    func pruneContainers(filters: [String: [String]]) async throws -> ContainerPruneResponse
    /// `GET /system/df`.
    func diskUsage() async throws -> DiskUsage
}
