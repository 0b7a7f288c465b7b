import Glibc
import SpliceAPI
import SpliceEngine

extension SpliceDockerEngine {
    /// `GET /containers/json`.
    public func containers(_ options: ContainerListOptions) async throws -> [ContainerSummary] {
        let records = await engine.containers(all: options.all || (options.limit ?? -1) > 0)
        let now = Int64(time(nil))
        var summaries = records.map { $0.summary(now: now) }
        if let limit = options.limit, limit > 0 { summaries = Array(summaries.prefix(limit)) }
        return summaries
    }

    /// `POST /containers/create`.
    public func createContainer(name: String?, _ request: ContainerCreateRequest) async throws -> ContainerCreateResponse {
        let options = try ContainerCreateOptions(request)
        return try await mapped {
            let record = try await engine.create(name: name, options)
            return ContainerCreateResponse(Id: record.id, Warnings: record.configuration.warnings)
        }
    }

    /// `GET /containers/{id}/json`.
    public func container(_ id: String) async throws -> ContainerInspect {
        try await mapped {
            let record = try await engine.container(id)
            return record.inspect(logPath: await engine.logPath(of: record.id))
        }
    }

    /// `POST /containers/{id}/start`.
    public func startContainer(_ id: String) async throws -> StateChange {
        try await mapped { try await engine.start(id) ? .changed : .unchanged }
    }

    /// `POST /containers/{id}/stop`.
    public func stopContainer(_ id: String, timeout: Int?) async throws -> StateChange {
        try await mapped { try await engine.stop(id, timeout: timeout) ? .changed : .unchanged }
    }

    /// `POST /containers/{id}/restart`.
    public func restartContainer(_ id: String, timeout: Int?) async throws {
        try await mapped {
            _ = try await engine.stop(id, timeout: timeout)
            _ = try await engine.start(id)
        }
    }

    /// `POST /containers/{id}/kill`.
    public func killContainer(_ id: String, signal: String?) async throws {
        let number = try Self.signalNumber(signal)
        try await mapped { try await engine.kill(id, signal: number) }
    }

    /// `POST /containers/{id}/wait`.
    public func waitContainer(_ id: String, condition: WaitCondition) async throws -> WaitHandle {
        let wanted: ContainerWaitCondition = switch condition {
        case .notRunning: .notRunning
        case .nextExit: .nextExit
        case .removed: .removed
        }
        let result = try await mapped { try await engine.wait(id, condition: wanted) }
        return WaitHandle { ContainerWaitResponse(StatusCode: Int(await result())) }
    }

    /// `DELETE /containers/{id}`.
    public func removeContainer(_ id: String, _ options: RemoveContainerOptions) async throws {
        if options.link {
            try await mapped { try await engine.removeLink(id) }
            return
        }
        let record = options.volumes ? try? await engine.container(id) : nil
        try await mapped { try await engine.remove(id, force: options.force) }
        if let record { await engine.removeVolumes(of: record) }
    }

    /// `GET /containers/{id}/logs` (without `follow`).
    public func logs(_ id: String, _ options: LogsOptions) async throws -> ProcessOutput {
        if options.follow { throw Self.notImplemented("logs --follow") }
        let entries = try await mapped {
            try await engine.logs(id, stdout: options.stdout, stderr: options.stderr, tail: options.tail)
        }
        let (stream, continuation) = AsyncThrowingStream<OutputChunk, any Error>.makeStream()
        for entry in entries {
            let text = options.timestamps ? entry.time + " " + entry.log : entry.log
            continuation.yield(OutputChunk(entry.stream == "stderr" ? .stderr : .stdout, text))
        }
        continuation.finish()
        return ProcessOutput(tty: false, chunks: stream)
    }

    /// `POST /containers/{id}/attach`: the output from start to exit (stdin is not forwarded yet).
    public func attach(_ id: String, _ options: AttachOptions, stdin: AsyncStream<[UInt8]>) async throws -> ProcessOutput {
        let entries = try await mapped { try await engine.attach(id) }
        let wantsOut = options.stdout, wantsErr = options.stderr
        let (stream, continuation) = AsyncThrowingStream<OutputChunk, any Error>.makeStream()
        let task = Task {
            do {
                for try await entry in entries {
                    let isError = entry.stream == "stderr"
                    if (isError && wantsErr) || (!isError && wantsOut) {
                        continuation.yield(OutputChunk(isError ? .stderr : .stdout, entry.log))
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return ProcessOutput(tty: false, chunks: stream)
    }

    /// A signal as typed (`SIGTERM`, `TERM`, `15`); nil is SIGKILL.
    static func signalNumber(_ text: String?) throws(EngineError) -> Int32 {
        guard let text, !text.isEmpty else { return SIGKILL }
        if let number = Int32(text), number > 0, number < 65 { return number }
        let name = text.uppercased().hasPrefix("SIG") ? String(text.uppercased().dropFirst(3)) : text.uppercased()
        let table: [String: Int32] = [
            "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "KILL": SIGKILL, "USR1": SIGUSR1, "USR2": SIGUSR2,
            "TERM": SIGTERM, "STOP": SIGSTOP, "CONT": SIGCONT, "ALRM": SIGALRM, "WINCH": SIGWINCH,
        ]
        guard let number = table[name] else { throw EngineError(.invalidArgument, "Invalid signal: \(text)") }
        return number
    }
}
