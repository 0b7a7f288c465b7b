import DockerModels
import Glibc
import SpliceAPI
import SpliceEngine
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

extension SpliceDockerEngine {
    /// `GET /containers/json`, with dockerd's filters (status, name, id, label, ancestor, exited, since, before).
    public func containers(_ options: ContainerListOptions) async throws -> [ContainerSummary] {
        let filters = options.filters.filter { !$0.value.isEmpty }
        let all = options.all || (options.limit ?? -1) > 0 || filters["status"] != nil || filters["exited"] != nil
        try Self.validate(filters)
        // `since`/`before` name containers; an unknown one is dockerd's 404.
        var window: [(key: String, record: ContainerRecord)] = []
        for key in ["since", "before"] {
            for reference in filters[key] ?? [] {
                window.append((key, try await mapped { try await engine.container(reference) }))
            }
        }
        var records = await engine.containers(all: all)
        records = records.filter { record in
            Self.matches(record, filters) && window.allSatisfy { key, bound in
                let order = (record.createdSeconds, record.created)
                let boundOrder = (bound.createdSeconds, bound.created)
                return key == "since" ? order > boundOrder : order < boundOrder
            }
        }
        let now = Int64(time(nil))
        let defaultNetwork = engine.networkService?.defaultNetwork
        var summaries = records.map { record in
            var summary = record.summary(now: now)
            summary.State = record.state.status.rawValue
            // A user-defined network is listed under its own name (the default one as `bridge`).
            if let endpoint = record.endpoint, endpoint.network != defaultNetwork,
               let settings = summary.NetworkSettings.Networks["bridge"]
            {
                summary.NetworkSettings = .init(Networks: [endpoint.network: settings])
            }
            return summary
        }
        if let limit = options.limit, limit > 0 { summaries = Array(summaries.prefix(limit)) }
        return summaries
    }

    /// Rejects unknown filter keys and values that do not parse (status, exited, health, is-task), as dockerd does.
    static func validate(_ filters: [String: [String]]) throws(EngineError) {
        let known: Set<String> = ["status", "name", "id", "label", "ancestor", "exited", "network", "before", "since",
                                  "volume", "health", "isolation", "is-task", "publish", "expose"]
        for key in filters.keys.sorted() where !known.contains(key) {
            throw EngineError(.invalidArgument, "invalid filter '\(key)'")
        }
        for status in filters["status"] ?? [] where ContainerStatus(rawValue: status) == nil {
            throw EngineError(.invalidArgument, "invalid filter 'status=\(status)'")
        }
        for code in filters["exited"] ?? [] where Int32(code) == nil {
            throw EngineError(.invalidArgument, "invalid filter 'exited=\(code)'")
        }
        let health: Set<String> = ["starting", "healthy", "unhealthy", "none"]
        for value in filters["health"] ?? [] where !health.contains(value) {
            throw EngineError(.invalidArgument, "invalid filter 'health=\(value)'")
        }
        for value in filters["is-task"] ?? [] where !["true", "false", "1", "0"].contains(value.lowercased()) {
            throw EngineError(.invalidArgument, "invalid filter 'is-task=\(value)'")
        }
    }

    /// Whether `record` passes every filter key (values of one key are alternatives; `label` values must all match).
    static func matches(_ record: ContainerRecord, _ filters: [String: [String]]) -> Bool {
        for (key, values) in filters {
            let pass: Bool
            switch key {
            case "status": pass = values.contains(record.state.status.rawValue)
            case "name":
                // dockerd matches the name with and without its leading slash (`name=^/web$`, `name=^web$`).
                pass = values.contains {
                    FilterPattern.matches($0, record.name) || FilterPattern.matches($0, "/" + record.name)
                }
            case "id": pass = values.contains { record.id.hasPrefix($0) }
            case "label": pass = LabelFilter.matches(record.configuration.request.labels, values)
            case "ancestor":
                pass = values.contains { ancestor in
                    let image = record.configuration.request.image
                    return image == ancestor || image == ancestor + ":latest" || image + ":latest" == ancestor
                        || record.configuration.imageID.hasPrefix(ancestor)
                        || record.configuration.imageID.hasPrefix("sha256:" + ancestor)
                }
            case "exited":
                pass = record.state.status == .exited && values.contains(String(record.state.exitCode))
            case "network":
                let mode = record.configuration.request.networkMode
                let network = mode == "default" || mode.isEmpty ? "bridge" : mode
                pass = values.contains(network)
            case "expose":
                let keys = record.configuration.request.exposedPortKeys
                pass = values.contains { value in
                    keys.contains { ContainerCreateOptions.portFilter(value, matches: $0) }
                }
            case "publish":
                let keys = (record.endpoint?.ports ?? []).map { "\($0.containerPort)/\($0.proto)" }
                pass = values.contains { value in
                    keys.contains { ContainerCreateOptions.portFilter(value, matches: $0) }
                }
            case "volume":
                pass = values.contains { value in
                    record.configuration.mounts.contains { $0.destination == value || $0.name == value
                        || $0.source == value }
                }
            case "health":
                // As dockerd: `none` for a container that has no health state (no check, or never started).
                pass = values.contains(record.state.health?.status.rawValue ?? "none")
            case "is-task": pass = values.contains { ["false", "0"].contains($0.lowercased()) }
            default: pass = true
            }
            if !pass { return false }
        }
        return true
    }

    /// `POST /containers/create`: also records the `create` event.
    public func createContainer(name: String?, _ request: ContainerCreateRequest) async throws
        -> ContainerCreateResponse
    {
        var timer = PhaseTimer()
        if let decode = PhaseTimer.requestDecode { timer.add("decode", decode) }
        let options = try ContainerCreateOptions(request)
        timer.mark("convert")
        return try await mapped {
            let attachments = try await networkAttachments(for: request)
            timer.mark("networks")
            let record = try await engine.create(name: name, options, timer: &timer)
            if let attachments { try await engine.setNetworkAttachments(attachments, of: record.id) }
            await engine.recordCreated(record.id)
            timer.mark("attachments")
            engine.configuration.logger.debug("container created", metadata: [
                "container": "\(record.id.prefix(12))", "phases": "\(timer.summary)",
            ])
            return ContainerCreateResponse(Id: record.id, Warnings: record.configuration.warnings)
        }
    }

    /// `GET /containers/{id}/json`.
    public func container(_ id: String) async throws -> ContainerInspect {
        try await mapped {
            let record = try await engine.container(id)
            var inspect = record.inspect(logPath: await engine.logPath(of: record.id))
            inspect.State.Status = record.state.status.rawValue
            inspect.State.Paused = record.state.status == .paused
            inspect.State.Restarting = record.state.status == .restarting
            inspect.State.Running = record.state.isRunning || record.state.status == .restarting
            inspect.RestartCount = record.state.restartCount
            try await applyNetworks(of: record, to: &inspect)
            return inspect
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
        try await mapped { try await engine.restart(id, timeout: timeout) }
    }

    /// `POST /containers/{id}/kill`.
    public func killContainer(_ id: String, signal: String?) async throws {
        let number = try signal.flatMap { $0.isEmpty ? nil : $0 }.map { text throws(EngineError) in
            try SignalName.number(text)
        } ?? SIGKILL
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

    /// `GET /containers/{id}/logs`: tail, since/until, timestamps, follow.
    public func logs(_ id: String, _ options: LogsOptions) async throws -> ProcessOutput {
        var query = LogQuery()
        query.stdout = options.stdout
        query.stderr = options.stderr
        query.follow = options.follow
        query.tail = options.tail
        query.since = try Self.apiTime(options.since, "since")
        query.until = try Self.apiTime(options.until, "until")
        let record = try await mapped { try await engine.container(id) }
        let entries = try await mapped { try await engine.logs(id, query) }
        let timestamps = options.timestamps
        let (stream, continuation) = AsyncThrowingStream<OutputChunk, any Error>.makeStream()
        let task = Task {
            do {
                for try await entry in entries {
                    let text = timestamps ? entry.time + " " + entry.log : entry.log
                    continuation.yield(OutputChunk(entry.stream == "stderr" ? .stderr : .stdout, text))
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return ProcessOutput(tty: record.configuration.request.tty, chunks: stream)
    }

    /// An API time (`since`/`until`) in Unix nanoseconds; nil or 0 for none.
    static func apiTime(_ text: String?, _ name: String) throws(EngineError) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = APITime.nanoseconds(text) else {
            throw EngineError(.invalidArgument, "invalid value for \(name): \(text)")
        }
        return value == 0 ? nil : value
    }

    /// `POST /containers/{id}/attach`: live output (replayed from the start when it attaches before the start),
    /// stdin until the detach keys.
    public func attach(_ id: String, _ options: AttachOptions, stdin: AsyncStream<[UInt8]>) async throws
        -> ProcessOutput
    {
        var request = AttachRequest()
        request.stdin = options.stdin
        request.stdout = options.stdout
        request.stderr = options.stderr
        request.logs = options.logs
        request.stream = options.stream || !options.logs
        request.detachKeys = options.detachKeys
        let output = try await mapped { try await engine.attach(id, request, stdin: stdin) }
        return Self.processOutput(output)
    }

    /// Maps engine frames to API chunks.
    static func processOutput(_ output: AttachedOutput) -> ProcessOutput {
        let (stream, continuation) = AsyncThrowingStream<OutputChunk, any Error>.makeStream()
        let frames = output.frames
        let task = Task {
            do {
                for try await frame in frames {
                    continuation.yield(OutputChunk(frame.stream == .stderr ? .stderr : .stdout, frame.bytes))
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return ProcessOutput(tty: output.tty, chunks: stream, headWritten: output.headWritten)
    }
}
