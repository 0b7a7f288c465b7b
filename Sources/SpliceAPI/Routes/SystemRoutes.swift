import struct EngineErrors.EngineError

/// `_ping`, `version`, `info`, `events`, and the JSON 404s for networks and plugins.
enum SystemRoutes {
    /// The routes.
    static let all: [Route] = [
        Route(.HEAD, "/_ping") { _, _, _ in ping(body: []) },
        Route(.GET, "/_ping") { _, _, _ in ping(body: Array("OK".utf8)) },
        Route(.GET, "/version") { _, _, engine in try .json(try await engine.version()) },
        Route(.GET, "/info") { _, _, engine in try .chunkedJSON(try await engine.info()) },
        Route(.POST, "/auth") { request, _, engine in
            guard let config = try await request.decodeBody(AuthConfig.self) else {
                throw EngineError(.invalidArgument, "missing credentials")
            }
            return try .json(try await engine.authenticate(config))
        },
        Route(.GET, "/events") { request, _, engine in
            var options = EventOptions()
            options.since = request.query.string("since")
            options.until = request.query.string("until")
            options.filters = try request.query.filters()
            let events = try await engine.events(options)
            return APIResponse(status: .ok, headers: [("Content-Type", "application/json")],
                               body: .stream(lines(events) { try JSONBody.encode($0) }))
        },
        Route(.GET, "/system/df") { _, _, engine in try .json(try await engine.diskUsage()) },
        Route(.GET, "/plugins/{name}/json") { _, name, _ in
            .error(EngineError(.notFound, "plugin \"\(name)\" not found"))
        },
    ]

    /// dockerd's ping answer (contract 2.1); `Content-Length` is set by the route so it sorts like dockerd's.
    static func ping(body: [UInt8]) -> APIResponse {
        APIResponse(status: .ok, headers: [
            ("Cache-Control", "no-cache, no-store, must-revalidate"),
            ("Content-Length", String(body.count)),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Pragma", "no-cache"),
        ], body: .bytes(body))
    }

    /// Maps a stream of values to a stream of encoded lines; stops when the client goes away.
    static func lines<T: Sendable>(_ source: AsyncThrowingStream<T, any Error>,
                                   encode: @escaping @Sendable (T) throws -> [UInt8])
        -> AsyncThrowingStream<[UInt8], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let task = Task {
            do {
                for try await value in source { continuation.yield(try encode(value)) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
