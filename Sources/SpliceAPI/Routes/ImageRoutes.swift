import struct EngineErrors.EngineError

/// `/images/...` routes.
enum ImageRoutes {
    /// The routes.
    static let all: [Route] = [
        Route(.GET, "/images/json") { request, _, engine in
            var options = ImageListOptions()
            options.all = request.query.bool("all")
            options.filters = try request.query.filters()
            return try .json(try await engine.images(options))
        },
        Route(.GET, "/images/{name}/json") { _, name, engine in try .json(try await engine.image(name)) },
        Route(.POST, "/images/{name}/tag") { request, name, engine in
            guard let repository = request.query.string("repo"), !repository.isEmpty else {
                throw EngineError(.invalidArgument, "repository name must have at least one component")
            }
            let tag = request.query.string("tag").flatMap { $0.isEmpty ? nil : $0 }
            try await engine.tagImage(name, repository: repository, tag: tag)
            return APIResponse(status: .created)
        },
        Route(.DELETE, "/images/{name}") { request, name, engine in
            try .json(try await engine.removeImage(name, force: request.query.bool("force"),
                                                   noPrune: request.query.bool("noprune")))
        },
        Route(.POST, "/images/create") { request, _, engine in
            if request.query.string("fromSrc") == nil {
                guard let repository = request.query.string("fromImage"), !repository.isEmpty else {
                    throw EngineError(.invalidArgument, "either fromImage or fromSrc is required")
                }
                let tag = request.query.string("tag").flatMap { $0.isEmpty ? nil : $0 }
                let progress = try await engine.pullImage(repository, tag: tag, auth: request.registryAuth)
                return progressResponse(progress)
            }
            var options = ImageImportOptions()
            options.source = request.query.string("fromSrc") ?? "-"
            options.repository = request.query.string("repo").flatMap { $0.isEmpty ? nil : $0 }
            options.tag = request.query.string("tag").flatMap { $0.isEmpty ? nil : $0 }
            options.message = request.query.string("message")
            options.changes = request.query.strings("changes")
            return progressResponse(try await engine.importImage(options, body: request.body))
        },
        Route(.POST, "/images/{name}/push") { request, name, engine in
            let tag = request.query.string("tag").flatMap { $0.isEmpty ? nil : $0 }
            return progressResponse(try await engine.pushImage(name, tag: tag, auth: request.registryAuth))
        },
        Route(.GET, "/images/{name}/history") { _, name, engine in try .json(try await engine.history(name)) },
        Route(.GET, "/images/search") { request, _, engine in
            guard let term = request.query.string("term"), !term.isEmpty else {
                throw EngineError(.invalidArgument, "term is required")
            }
            let limit = try request.query.int("limit").flatMap { $0 > 0 ? $0 : nil }
            return try .json(try await engine.searchImages(term: term, limit: limit, filters: try request.query.filters(),
                                                           auth: request.registryAuth))
        },
        Route(.GET, "/images/get") { request, _, engine in
            let names = request.query.strings("names")
            guard !names.isEmpty else { throw EngineError(.invalidArgument, "names is required") }
            return APIResponse(status: .ok, headers: [("Content-Type", "application/x-tar")],
                               body: .stream(try await engine.saveImages(names)))
        },
        Route(.GET, "/images/{name}/get") { _, name, engine in
            APIResponse(status: .ok, headers: [("Content-Type", "application/x-tar")],
                        body: .stream(try await engine.saveImages([name])))
        },
        Route(.POST, "/images/prune") { request, _, engine in
            try .json(try await engine.pruneImages(filters: try request.query.filters()))
        },
        Route(.POST, "/images/load") { request, _, engine in
            progressResponse(try await engine.loadImages(quiet: request.query.bool("quiet"), body: request.body))
        },
    ]

    /// `200 application/json`, chunked progress lines.
    static func progressResponse(_ progress: AsyncThrowingStream<ProgressMessage, any Error>) -> APIResponse {
        APIResponse(status: .ok, headers: [("Content-Type", "application/json")], body: .stream(progressLines(progress)))
    }

    /// JSON lines ending in `\r\n`; a failure after streaming began becomes the in-band error message.
    static func progressLines(_ source: AsyncThrowingStream<ProgressMessage, any Error>)
        -> AsyncThrowingStream<[UInt8], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let task = Task {
            do {
                for try await message in source { continuation.yield(try JSONBody.encode(message, terminator: "\r\n")) }
            } catch {
                let text = (error as? EngineError)?.message ?? "\(error)"
                if let line = try? JSONBody.encode(ProgressMessage.failure(text), terminator: "\r\n") {
                    continuation.yield(line)
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
