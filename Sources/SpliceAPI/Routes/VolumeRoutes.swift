/// `/volumes/...` routes (`vol-*.txt`).
enum VolumeRoutes {
    /// The routes.
    static let all: [Route] = [
        Route(.GET, "/volumes") { request, _, engine in
            try .json(try await engine.volumes(filters: try request.query.filters()))
        },
        Route(.POST, "/volumes/create") { request, _, engine in
            let body = try await request.decodeBody(VolumeCreateRequest.self) ?? VolumeCreateRequest()
            return try .json(try await engine.createVolume(body), status: .created)
        },
        Route(.POST, "/volumes/prune") { request, _, engine in
            try .json(try await engine.pruneVolumes(filters: try request.query.filters()))
        },
        Route(.GET, "/volumes/{name}") { _, name, engine in try .json(try await engine.volume(name)) },
        Route(.DELETE, "/volumes/{name}") { request, name, engine in
            try await engine.removeVolume(name, force: request.query.bool("force"))
            return APIResponse(status: .noContent)
        },
    ]
}
