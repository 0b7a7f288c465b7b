import struct EngineErrors.EngineError

/// `/networks/...` routes (`net-*.txt`).
enum NetworkRoutes {
    /// The engine's networks, or dockerd's 404 for an engine without them.
    private static func networks(_ engine: any DockerEngine, _ name: String) throws(EngineError)
        -> any DockerNetworkEngine
    {
        guard let networks = engine as? any DockerNetworkEngine else {
            throw EngineError(.notFound, "network \(name) not found")
        }
        return networks
    }

    /// The routes.
    static let all: [Route] = [
        Route(.GET, "/networks") { request, _, engine in
            try .json(try await networks(engine, "").networks(filters: try request.query.filters()))
        },
        Route(.POST, "/networks/create") { request, _, engine in
            guard let body = try await request.decodeBody(NetworkCreateRequest.self) else {
                throw EngineError(.invalidArgument, "network name must not be empty")
            }
            return try .json(try await networks(engine, body.Name).createNetwork(body), status: .created)
        },
        Route(.POST, "/networks/prune") { request, _, engine in
            try .json(try await networks(engine, "").pruneNetworks(filters: try request.query.filters()))
        },
        Route(.GET, "/networks/{name}") { _, name, engine in try .json(try await networks(engine, name).network(name)) },
        Route(.DELETE, "/networks/{name}") { _, name, engine in
            try await networks(engine, name).removeNetwork(name)
            return APIResponse(status: .noContent)
        },
        Route(.POST, "/networks/{name}/connect") { request, name, engine in
            guard let body = try await request.decodeBody(NetworkConnectRequest.self) else {
                throw EngineError(.invalidArgument, "no container given")
            }
            try await networks(engine, name).connectNetwork(name, body)
            return APIResponse(status: .ok)
        },
        Route(.POST, "/networks/{name}/disconnect") { request, name, engine in
            guard let body = try await request.decodeBody(NetworkDisconnectRequest.self) else {
                throw EngineError(.invalidArgument, "no container given")
            }
            try await networks(engine, name).disconnectNetwork(name, body)
            return APIResponse(status: .ok)
        },
    ]
}
