#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import struct SystemKit.PhaseTimer
import struct EngineErrors.EngineError

/// `/containers/...` routes.
enum ContainerRoutes {
    /// The routes.
    static let all: [Route] = [
        Route(.GET, "/containers/json") { request, _, engine in
            var options = ContainerListOptions()
            options.all = request.query.bool("all")
            options.size = request.query.bool("size")
            options.limit = try request.query.int("limit").flatMap { $0 > 0 ? $0 : nil }
            options.filters = try request.query.filters()
            return try .json(try await engine.containers(options))
        },
        Route(.POST, "/containers/create") { request, _, engine in
            let started = ContinuousClock.now
            guard let body = try await request.decodeBody(ContainerCreateRequest.self) else {
                throw EngineError(.invalidArgument, "config cannot be empty in order to create a container")
            }
            let name = request.query.string("name").flatMap { $0.isEmpty ? nil : $0 }
            // The engine's debug line of the create shows the decode as its first phase.
            return try await PhaseTimer.$requestDecode.withValue(ContinuousClock.now - started) {
                try APIResponse.json(try await engine.createContainer(name: name, body), status: .created)
            }
        },
        Route(.GET, "/containers/{name}/json") { _, name, engine in try .chunkedJSON(try await engine.container(name)) },
        Route(.POST, "/containers/{name}/start") { _, name, engine in
            try await engine.startContainer(name) == .changed ? noContent : notModified
        },
        Route(.POST, "/containers/{name}/stop") { request, name, engine in
            try await engine.stopContainer(name, timeout: try request.query.int("t")) == .changed ? noContent : notModified
        },
        Route(.POST, "/containers/{name}/restart") { request, name, engine in
            try await engine.restartContainer(name, timeout: try request.query.int("t"))
            return noContent
        },
        Route(.POST, "/containers/{name}/kill") { request, name, engine in
            try await engine.killContainer(name, signal: request.query.string("signal").flatMap { $0.isEmpty ? nil : $0 })
            return noContent
        },
        Route(.POST, "/containers/{name}/pause") { _, name, engine in
            try await engine.pauseContainer(name)
            return noContent
        },
        Route(.POST, "/containers/{name}/unpause") { _, name, engine in
            try await engine.unpauseContainer(name)
            return noContent
        },
        Route(.POST, "/containers/{name}/wait") { request, name, engine in
            let text = request.query.string("condition") ?? ""
            guard let condition = text.isEmpty ? .notRunning : WaitCondition(rawValue: text) else {
                throw EngineError(.invalidArgument, "invalid condition: \"\(text)\"")
            }
            let handle = try await engine.waitContainer(name, condition: condition)
            return APIResponse(status: .ok, headers: [("Content-Type", "application/json")], body: .deferred {
                let result: ContainerWaitResponse
                do {
                    result = try await handle.result()
                } catch {
                    let message = (error as? EngineError)?.message ?? "\(error)"
                    result = ContainerWaitResponse(StatusCode: -1, Error: .init(Message: message))
                }
                return (try? JSONBody.encode(result)) ?? []
            })
        },
        Route(.DELETE, "/containers/{name}") { request, name, engine in
            var options = RemoveContainerOptions()
            options.force = request.query.bool("force")
            options.volumes = request.query.bool("v")
            options.link = request.query.bool("link")
            try await engine.removeContainer(name, options)
            return noContent
        },
        Route(.GET, "/containers/{name}/top") { request, name, engine in
            try .json(try await engine.top(name, psArgs: request.query.string("ps_args")))
        },
        Route(.GET, "/containers/{name}/logs") { request, name, engine in
            var options = LogsOptions()
            options.stdout = request.query.bool("stdout")
            options.stderr = request.query.bool("stderr")
            options.follow = request.query.bool("follow")
            options.timestamps = request.query.bool("timestamps")
            let tail = request.query.string("tail") ?? "all"
            options.tail = tail == "all" || tail.isEmpty ? nil : try request.query.int("tail")
            options.since = request.query.string("since")
            options.until = request.query.string("until")
            guard options.stdout || options.stderr else {
                throw EngineError(.invalidArgument, "Bad parameters: you must choose at least one stream")
            }
            let output = try await engine.logs(name, options)
            return APIResponse(status: .ok, body: .stream(frames(output)))
        },
        Route(.POST, "/containers/{name}/attach") { request, name, engine in
            var options = AttachOptions()
            options.stdin = request.query.bool("stdin")
            options.stdout = request.query.bool("stdout")
            options.stderr = request.query.bool("stderr")
            options.stream = request.query.bool("stream")
            options.logs = request.query.bool("logs")
            options.detachKeys = request.query.string("detachKeys")
            let (stdin, continuation) = AsyncStream<[UInt8]>.makeStream()
            let output = try await engine.attach(name, options, stdin: stdin)
            return APIResponse(status: .switchingProtocols,
                               body: .hijack(HijackSession(stdin: continuation, output: output,
                                                           upgrade: request.wantsUpgrade,
                                                           version: request.version)))
        },
        Route(.POST, "/containers/{name}/resize") { request, name, engine in
            let (height, width) = try size(request)
            try await engine.resizeContainer(name, height: height, width: width)
            return APIResponse(status: .ok)
        },
        Route(.GET, "/containers/{name}/stats") { request, name, engine in
            let stream = request.query.string("stream").map { _ in request.query.bool("stream") } ?? true
            let frames = try await engine.stats(name, stream: stream, oneShot: request.query.bool("one-shot"))
            guard stream else {
                var iterator = frames.makeAsyncIterator()
                guard let frame = try await iterator.next() else { throw EngineError.noSuchContainer(name) }
                return try .json(frame)
            }
            return APIResponse(status: .ok, headers: [("Content-Type", "application/json")],
                               body: .stream(SystemRoutes.lines(frames) { try JSONBody.encode($0) }))
        },
        Route(.POST, "/containers/{name}/rename") { request, name, engine in
            try await engine.renameContainer(name, name: request.query.string("name") ?? "")
            return noContent
        },
        Route(.POST, "/containers/{name}/update") { request, name, engine in
            let body = try await request.decodeBody(ContainerUpdateRequest.self) ?? ContainerUpdateRequest()
            return try .json(try await engine.updateContainer(name, body))
        },
        Route(.POST, "/containers/prune") { request, _, engine in
            try .json(try await engine.pruneContainers(filters: try request.query.filters()))
        },
        Route(.GET, "/containers/{name}/changes") { _, name, engine in try .json(try await engine.changes(name)) },
        Route(.GET, "/containers/{name}/export") { _, name, engine in
            APIResponse(status: .ok, headers: [("Content-Type", "application/octet-stream")],
                        body: .stream(try await engine.export(name)))
        },
        Route(.GET, "/containers/{name}/archive") { request, name, engine in
            let output = try await engine.archive(name, path: try archivePath(request))
            return APIResponse(status: .ok, headers: [("Content-Type", "application/x-tar"),
                                                      ("X-Docker-Container-Path-Stat", try statHeader(output.stat))],
                               body: .stream(output.tar))
        },
        Route(.HEAD, "/containers/{name}/archive") { request, name, engine in
            let stat = try await engine.archiveStat(name, path: try archivePath(request))
            return APIResponse(status: .ok, headers: [("X-Docker-Container-Path-Stat", try statHeader(stat))])
        },
        Route(.PUT, "/containers/{name}/archive") { request, name, engine in
            try await engine.extractArchive(name, path: try archivePath(request),
                                            noOverwriteDirNonDir: request.query.bool("noOverwriteDirNonDir"),
                                            body: request.body)
            return APIResponse(status: .ok)
        },
        Route(.POST, "/commit") { request, _, engine in
            var options = CommitOptions()
            guard let container = request.query.string("container"), !container.isEmpty else {
                throw EngineError(.invalidArgument, "container is required")
            }
            options.container = container
            options.repository = request.query.string("repo").flatMap { $0.isEmpty ? nil : $0 }
            options.tag = request.query.string("tag").flatMap { $0.isEmpty ? nil : $0 }
            options.author = request.query.string("author")
            options.comment = request.query.string("comment")
            options.changes = request.query.strings("changes")
            options.pause = request.query.string("pause").map { _ in request.query.bool("pause") } ?? true
            options.config = try await request.decodeBody(ContainerConfig.self)
            return try .json(try await engine.commit(options), status: .created)
        },
        Route(.POST, "/containers/{name}/exec") { request, name, engine in
            guard let config = try await request.decodeBody(ExecConfig.self) else {
                throw EngineError(.invalidArgument, "No exec command specified")
            }
            return try .json(try await engine.createExec(container: name, config), status: .created)
        },
    ]

    /// 204 with no body.
    static let noContent = APIResponse(status: .noContent)
    /// 304 with no body (already started or stopped).
    static let notModified = APIResponse(status: .notModified)

    /// `h` and `w` of a resize request.
    static func size(_ request: APIRequest) throws(EngineError) -> (Int, Int) {
        guard let height = try request.query.int("h"), let width = try request.query.int("w") else {
            throw EngineError(.invalidArgument, "resize needs h and w")
        }
        return (height, width)
    }

    /// The required `path` query of the archive routes.
    static func archivePath(_ request: APIRequest) throws(EngineError) -> String {
        guard let path = request.query.string("path"), !path.isEmpty else {
            throw EngineError(.invalidArgument, "path is required")
        }
        return path
    }

    /// Standard base64 of the stat JSON.
    static func statHeader(_ stat: PathStat) throws -> String {
        Data(try JSONBody.encode(stat, terminator: "")).base64EncodedString()
    }

    /// Output as a body: stdcopy frames, or raw bytes for a TTY.
    static func frames(_ output: ProcessOutput) -> AsyncThrowingStream<[UInt8], any Error> {
        let tty = output.tty
        return SystemRoutes.lines(output.chunks) { chunk in
            tty ? chunk.bytes : StdcopyFrame.encode(chunk.stream, chunk.bytes)
        }
    }
}
