import Foundation
import Synchronization
import SpliceAPI
import struct EngineErrors.EngineError

/// An in-memory `DockerEngine` that records every call and answers like dockerd did in the captures.
public final class FakeEngine: DockerEngine {
    public static let mainID = "b3672ed92e9f94aadb3d92e47a2e4c746c2d04cb43ec6d838884a86f271680bb"
    public static let imageID = "sha256:cd100aa9d77788f185db4d8e3d2c1ec889cbef7990657765d462eb41849c04b1"

    /// How this fake differs where the two suites that use it check different things.
    public struct Behaviour: Sendable {
        /// `wait` answers at once with this exit code; nil: it waits for `releaseWaits(exitCode:)`.
        public var waitExitCode: Int?
        /// Whether `createExec` also records `execConfig(…)` with the options the client sent.
        public var recordsExecConfig: Bool

        /// Waits for `releaseWaits`, records only the calls (the API suite checks the server's framing).
        public static let server = Behaviour(waitExitCode: nil, recordsExecConfig: false)
        /// Answers waits with 3 and records exec options (the client suite checks the flags it sends).
        public static let client = Behaviour(waitExitCode: 3, recordsExecConfig: true)
    }

    private let behaviour: Behaviour
    private let recorded = Mutex<[String]>([])
    private let waitGate = Mutex<[AsyncStream<Int>.Continuation]>([])
    private let eventsCancelled = Mutex(false)

    /// A fake that behaves as `behaviour` says.
    public init(_ behaviour: Behaviour = .server) { self.behaviour = behaviour }

    /// Calls in order, as `method(arguments)`.
    public var calls: [String] { recorded.withLock { $0 } }
    /// Whether a live events stream saw its consumer go away.
    public var liveEventsCancelled: Bool { eventsCancelled.withLock { $0 } }

    /// Appends `call` to `calls` (for extensions that add operations).
    public func record(_ call: String) { recorded.withLock { $0.append(call) } }

    /// Answers every pending wait with `code`.
    public func releaseWaits(exitCode: Int) {
        let waiters = waitGate.withLock { gate in
            defer { gate = [] }
            return gate
        }
        for waiter in waiters {
            waiter.yield(exitCode)
            waiter.finish()
        }
    }

    public var pendingWaits: Int { waitGate.withLock { $0.count } }

    /// Extra containers: `cap_tty` (running, Tty and OpenStdin), `cap_paused`, `cap_stopped`.
    public static let extraNames: Set<String> = ["cap_tty", "cap_paused", "cap_stopped"]

    /// Throws Docker's "No such container" unless `id` names one of the fake's containers.
    public func known(_ id: String) throws(EngineError) {
        guard id == "cap_main" || id == "/cap_main" || Self.mainID.hasPrefix(id) || Self.extraNames.contains(id) else {
            throw .noSuchContainer(id)
        }
    }

    public func version() async throws -> SystemVersion {
        record("version")
        var version = SystemVersion()
        version.Platform = .init(Name: "Splice")
        version.Version = "0.1.0-test"
        version.GitCommit = "abc1234"
        version.GoVersion = "swift6.3"
        version.Arch = "amd64"
        version.KernelVersion = "6.18.44"
        version.BuildTime = "2026-11-29T17:18:08.000000000+00:00"
        version.Components = [.init(Name: "Engine", Version: "0.1.0-test", Details: [
            "ApiVersion": "1.41", "MinAPIVersion": "1.24", "Os": "linux", "Arch": "amd64",
        ])]
        return version
    }

    public func info() async throws -> SystemInfo {
        record("info")
        var info = SystemInfo()
        info.ID = "TEST:ID"
        info.Containers = 1
        info.ContainersRunning = 1
        info.Name = "vm"
        info.ServerVersion = "0.1.0-test"
        return info
    }

    public func events(_ options: EventOptions) async throws -> AsyncThrowingStream<EventMessage, any Error> {
        record("events(since: \(options.since ?? "-"), until: \(options.until ?? "-"), filters: \(options.filters))")
        let (stream, continuation) = AsyncThrowingStream<EventMessage, any Error>.makeStream()
        let actor = EventMessage.Actor(ID: Self.mainID, Attributes: ["image": "bb:latest", "name": "cap_ev"])
        continuation.yield(EventMessage(type: "container", action: "create", actor: actor, timeNano: 1_795_972_928_196_247_559))
        if options.until != nil {
            continuation.yield(EventMessage(type: "container", action: "start", actor: actor,
                                            timeNano: 1_795_972_928_433_983_816))
            continuation.finish()
        } else {
            continuation.onTermination = { termination in
                if case .cancelled = termination { self.eventsCancelled.withLock { $0 = true } }
            }
        }
        return stream
    }

    public func containers(_ options: ContainerListOptions) async throws -> [ContainerSummary] {
        record("containers(all: \(options.all), limit: \(options.limit.map(String.init) ?? "-"), filters: \(options.filters))")
        var summary = ContainerSummary()
        summary.Id = Self.mainID
        summary.Names = ["/cap_main"]
        summary.Image = "bb:latest"
        summary.ImageID = Self.imageID
        summary.Command = "sh -c 'echo first-line'"
        // 58 s before the client harness's fixed clock (`1_795_972_565 + 120`), so `CREATED` reads the same at any
        // load (the real clock made it 57 when the request crossed a second boundary).
        summary.Created = 1_795_972_565 + 62
        summary.State = "running"
        summary.Status = "Up 58 seconds"
        summary.Ports = [.init(IP: "127.0.0.1", PrivatePort: 8080, PublicPort: 18080, Type: "tcp")]
        if options.filters["status"]?.contains("paused") == true {
            summary.State = "paused"
            summary.Status = "Up 58 seconds (Paused)"
        } else if options.filters["status"]?.contains("restarting") == true {
            summary.State = "restarting"
            summary.Status = "Restarting (1) 3 seconds ago"
        }
        return [summary]
    }

    public func createContainer(name: String?, _ request: ContainerCreateRequest) async throws
        -> ContainerCreateResponse {
        record("create(name: \(name ?? "-"), image: \(request.config.Image ?? "-"), cmd: \(request.config.Cmd ?? []))")
        if let image = request.config.Image, image.hasPrefix("pullme:"),
           !calls.contains(where: { $0.hasPrefix("pull(pullme, tag: \(image.dropFirst(7))") }) {
            throw EngineError.noSuchImage(image)
        }
        if name == "cap_main" {
            throw EngineError(.conflict, "Conflict. The container name \"/cap_main\" is already in use by container "
                + "\"\(Self.mainID)\". You have to remove (or rename) that container to be able to reuse that name.")
        }
        return ContainerCreateResponse(Id: Self.mainID)
    }

    public func container(_ id: String) async throws -> ContainerInspect {
        record("container(\(id))")
        try known(id)
        var inspect = ContainerInspect()
        inspect.Id = Self.mainID
        inspect.Name = "/cap_main"
        inspect.State.Status = "running"
        inspect.State.Running = true
        inspect.State.Pid = 8185
        inspect.Config.Tty = id == "cap_tty"
        inspect.Config.OpenStdin = id == "cap_tty"
        inspect.State.Paused = id == "cap_paused"
        inspect.State.Running = id != "cap_stopped"
        inspect.NetworkSettings.IPAddress = "172.17.0.3"
        inspect.NetworkSettings.Ports = [
            "8081/udp": [.init(HostIp: "0.0.0.0", HostPort: "18081"), .init(HostIp: "::", HostPort: "18081")],
            "8080/tcp": [.init(HostIp: "127.0.0.1", HostPort: "18080")],
            "9000/tcp": nil,
        ]
        return inspect
    }

    public func startContainer(_ id: String) async throws -> StateChange {
        record("start(\(id))")
        try known(id)
        return .unchanged
    }

    public func stopContainer(_ id: String, timeout: Int?) async throws -> StateChange {
        record("stop(\(id), t: \(timeout.map(String.init) ?? "-"))")
        try known(id)
        return .changed
    }

    public func restartContainer(_ id: String, timeout: Int?) async throws {
        record("restart(\(id), t: \(timeout.map(String.init) ?? "-"))")
    }

    public func killContainer(_ id: String, signal: String?) async throws {
        record("kill(\(id), signal: \(signal ?? "-"))")
        throw EngineError(.conflict, "Cannot kill container: \(id): Container \(Self.mainID) is not running")
    }

    public func pauseContainer(_ id: String) async throws { record("pause(\(id))") }
    public func unpauseContainer(_ id: String) async throws { record("unpause(\(id))") }

    public func waitContainer(_ id: String, condition: WaitCondition) async throws -> WaitHandle {
        record("wait(\(id), \(condition.rawValue))")
        try known(id)
        // Registered now, before the API sends the headers, as the contract requires (pitfall 6).
        let (exit, continuation) = AsyncStream<Int>.makeStream()
        waitGate.withLock { $0.append(continuation) }
        if let code = behaviour.waitExitCode { return WaitHandle { ContainerWaitResponse(StatusCode: code) } }
        return WaitHandle {
            var codes = exit.makeAsyncIterator()
            let code = await codes.next()
            return code.map { ContainerWaitResponse(StatusCode: $0) }
                ?? ContainerWaitResponse(StatusCode: -1, Error: .init(Message: "context canceled"))
        }
    }

    public func removeContainer(_ id: String, _ options: RemoveContainerOptions) async throws {
        record("remove(\(id), force: \(options.force), v: \(options.volumes), link: \(options.link))")
        if id == "running" {
            throw EngineError(.conflict, "You cannot remove a running container \(Self.mainID). Stop the container "
                + "before attempting removal or force remove")
        }
    }

    public func top(_ id: String, psArgs: String?) async throws -> ContainerTopResponse {
        record("top(\(id), \(psArgs ?? "-"))")
        return ContainerTopResponse(Titles: ["PID", "COMMAND"], Processes: [["8185", "sh"]])
    }

    public func logs(_ id: String, _ options: LogsOptions) async throws -> ProcessOutput {
        record("logs(\(id), follow: \(options.follow), tail: \(options.tail.map(String.init) ?? "all"))")
        if options.since != nil || options.until != nil {
            record("logsWindow(since: \(options.since ?? "-"), until: \(options.until ?? "-"))")
        }
        try known(id)
        let (stream, continuation) = AsyncThrowingStream<OutputChunk, any Error>.makeStream()
        continuation.yield(OutputChunk(.stdout, "first-line\n"))
        continuation.yield(OutputChunk(.stderr, "to-stderr\n"))
        continuation.finish()
        return ProcessOutput(tty: false, chunks: stream)
    }

    /// Output: `hello world\n` on stdout, `oops\n` on stderr, then after stdin's EOF everything read from stdin.
    private func echoSession(tty: Bool, stdin: AsyncStream<[UInt8]>) -> ProcessOutput {
        let (stream, continuation) = AsyncThrowingStream<OutputChunk, any Error>.makeStream()
        let task = Task {
            continuation.yield(OutputChunk(.stdout, "hello world\n"))
            continuation.yield(OutputChunk(.stderr, "oops\n"))
            var input: [UInt8] = []
            for await bytes in stdin { input += bytes }
            continuation.yield(OutputChunk(.stdout, "stdin:" + String(decoding: input, as: UTF8.self)))
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return ProcessOutput(tty: tty, chunks: stream)
    }

    public func attach(_ id: String, _ options: AttachOptions, stdin: AsyncStream<[UInt8]>) async throws
        -> ProcessOutput {
        record("attach(\(id), stdin: \(options.stdin), stdout: \(options.stdout), stderr: \(options.stderr)"
            + (options.detachKeys.map { ", detachKeys: \($0)" } ?? "") + ")")
        try known(id)
        return echoSession(tty: id == "cap_tty", stdin: stdin)
    }

    public func resizeContainer(_ id: String, height: Int, width: Int) async throws {
        record("resize(\(id), \(height)x\(width))")
    }

    public func createExec(container id: String, _ config: ExecConfig) async throws -> IDResponse {
        record("createExec(\(id), \(config.Cmd ?? []))")
        if behaviour.recordsExecConfig {
            record("execConfig(user: \(config.User ?? "-"), env: \(config.Env ?? []), "
                + "workdir: \(config.WorkingDir ?? "-"), tty: \(config.Tty ?? false), "
                + "stdin: \(config.AttachStdin ?? false), detach: \(config.Detach ?? false), "
                + "privileged: \(config.Privileged ?? false))")
        }
        try known(id)
        return IDResponse(Id: "2ff6683df53dfc3b920c720a982c067d27e921f559ab657d73df538bce650a68")
    }

    public func startExec(_ id: String, _ config: ExecStartConfig, stdin: AsyncStream<[UInt8]>) async throws
        -> ProcessOutput {
        record("startExec(\(id), tty: \(config.Tty ?? false))")
        return echoSession(tty: config.Tty ?? false, stdin: stdin)
    }

    public func startExecDetached(_ id: String, _ config: ExecStartConfig) async throws {
        record("startExecDetached(\(id))")
    }

    public func exec(_ id: String) async throws -> ExecInspect {
        record("exec(\(id))")
        var inspect = ExecInspect()
        inspect.ID = id
        inspect.ExitCode = 5
        return inspect
    }

    public func resizeExec(_ id: String, height: Int, width: Int) async throws {
        record("resizeExec(\(id), \(height)x\(width))")
    }

    public func images(_ options: ImageListOptions) async throws -> [ImageSummary] {
        record("images(all: \(options.all), filters: \(options.filters))")
        var image = ImageSummary()
        image.Id = Self.imageID
        image.Created = 1_795_972_565
        image.RepoTags = ["bb:latest"]
        image.Size = 1_984_132
        image.VirtualSize = 1_984_132
        return [image]
    }

    public func image(_ name: String) async throws -> ImageInspect {
        record("image(\(name))")
        throw EngineError.noSuchImage(name)
    }

    public func tagImage(_ name: String, repository: String, tag: String?) async throws {
        record("tag(\(name), repo: \(repository), tag: \(tag ?? "-"))")
    }

    public func removeImage(_ name: String, force: Bool, noPrune: Bool) async throws -> [ImageDeleteResponseItem] {
        record("removeImage(\(name), force: \(force), noprune: \(noPrune))")
        return [ImageDeleteResponseItem(Untagged: name)]
    }

    public func importImage(_ options: ImageImportOptions, body: RequestBody) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error> {
        var size = 0
        for try await chunk in body { size += chunk.count }
        record("import(repo: \(options.repository ?? "-"), bytes: \(size), changes: \(options.changes))")
        let (stream, continuation) = AsyncThrowingStream<ProgressMessage, any Error>.makeStream()
        continuation.yield(ProgressMessage(status: "sha256:89f60340e905dc5aa3322f1c0a3bdc04aef90e8e907cb52aa030ef01daa52a2b"))
        continuation.finish()
        return stream
    }

    public func authenticate(_ config: AuthConfig) async throws -> AuthResponse {
        record("auth(\(config.username ?? "-")@\(config.serveraddress ?? "-"))")
        guard config.serveraddress != "127.0.0.1:5001" else {
            throw EngineError(.internal, "login attempt to http://127.0.0.1:5001/v2/ failed with status: 401 Unauthorized")
        }
        return AuthResponse()
    }

    public func changes(_ id: String) async throws -> [ContainerChange] {
        record("changes(\(id))")
        return [ContainerChange(Path: "/newdir", Kind: 1), ContainerChange(Path: "/bin/uuencode", Kind: 2)]
    }

    private static func bytes(_ parts: [String]) -> AsyncThrowingStream<[UInt8], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        for part in parts { continuation.yield(Array(part.utf8)) }
        continuation.finish()
        return stream
    }

    private static func progress(_ messages: [ProgressMessage], failure: String? = nil)
        -> AsyncThrowingStream<ProgressMessage, any Error> {
        let (stream, continuation) = AsyncThrowingStream<ProgressMessage, any Error>.makeStream()
        for message in messages { continuation.yield(message) }
        if let failure { continuation.finish(throwing: EngineError(.internal, failure)) } else { continuation.finish() }
        return stream
    }

    public func export(_ id: String) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        record("export(\(id))")
        return Self.bytes(["tar-part-1", "tar-part-2"])
    }

    public func archive(_ id: String, path: String) async throws -> ArchiveOutput {
        record("archive(\(id), \(path))")
        return ArchiveOutput(stat: try await archiveStat(id, path: path), tar: Self.bytes(["file.txt-tar"]))
    }

    public func archiveStat(_ id: String, path: String) async throws -> PathStat {
        guard path == "/newdir/file.txt" else {
            throw EngineError(.notFound, "Could not find the file \(path) in container \(id)")
        }
        return PathStat(name: "file.txt", size: 5, mode: 0o644, mtime: "2026-11-29T17:21:19.77028809Z")
    }

    public func extractArchive(_ id: String, path: String, noOverwriteDirNonDir: Bool,
                               body: RequestBody) async throws {
        var size = 0
        for try await chunk in body { size += chunk.count }
        record("extract(\(id), \(path), noOverwrite: \(noOverwriteDirNonDir), bytes: \(size))")
    }

    public func commit(_ options: CommitOptions) async throws -> IDResponse {
        record("commit(\(options.container), repo: \(options.repository ?? "-"), tag: \(options.tag ?? "-"), "
            + "pause: \(options.pause), changes: \(options.changes))")
        return IDResponse(Id: "sha256:89f60340e905dc5aa3322f1c0a3bdc04aef90e8e907cb52aa030ef01daa52a2b")
    }

    public func history(_ name: String) async throws -> [ImageHistoryItem] {
        record("history(\(name))")
        return [ImageHistoryItem(Id: Self.imageID, Created: 1_795_972_565, CreatedBy: "/bin/sh", Tags: ["bb:latest"],
                                 Size: 1_984_132)]
    }

    public func searchImages(term: String, limit: Int?, filters: [String: [String]], auth: AuthConfig?) async throws
        -> [ImageSearchResult] {
        record("search(\(term))")
        throw EngineError(.internal, "Get \"https://index.docker.io/v1/search?q=\(term)\": dial tcp: lookup index.docker.io")
    }

    public func pullImage(_ repository: String, tag: String?, auth: AuthConfig?) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error> {
        record("pull(\(repository), tag: \(tag ?? "-"), user: \(auth?.username ?? "-"))")
        if tag == "nope" {
            throw EngineError(.notFound, "manifest for \(repository):nope not found: manifest unknown: manifest unknown")
        }
        return Self.progress([ProgressMessage(status: "Pulling from bb", id: tag ?? "latest")],
                             failure: Self.needsCredentials(repository, auth) ? "no basic auth credentials" : nil)
    }

    /// A registry named with a port (`127.0.0.1:5000/bb`) wants credentials, as the captures' test registries did.
    private static func needsCredentials(_ repository: String, _ auth: AuthConfig?) -> Bool {
        guard let registry = repository.split(separator: "/").first, repository.contains("/") else { return false }
        return registry.contains(":") && auth?.username == nil
    }

    public func pushImage(_ name: String, tag: String?, auth: AuthConfig?) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error> {
        record("push(\(name), tag: \(tag ?? "-"))")
        return Self.progress([ProgressMessage(status: "The push refers to repository [\(name)]")])
    }

    public func saveImages(_ names: [String]) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        record("save(\(names))")
        return Self.bytes(["manifest.json"])
    }

    public func loadImages(quiet: Bool, body: RequestBody) async throws
        -> AsyncThrowingStream<ProgressMessage, any Error> {
        var size = 0
        for try await chunk in body { size += chunk.count }
        record("load(quiet: \(quiet), bytes: \(size))")
        return Self.progress([ProgressMessage(stream: "Loaded image: cap-committed:v1\n")])
    }
}
