/// `/exec/...` routes.
enum ExecRoutes {
    /// The routes.
    static let all: [Route] = [
        Route(.POST, "/exec/{name}/start") { request, name, engine in
            let config = try await request.decodeBody(ExecStartConfig.self) ?? ExecStartConfig()
            if config.Detach == true {
                try await engine.startExecDetached(name, config)
                return APIResponse(status: .ok)
            }
            let (stdin, continuation) = AsyncStream<[UInt8]>.makeStream()
            var output = try await engine.startExec(name, config, stdin: stdin)
            // As dockerd: the start body's Tty, not the exec's, decides the framing (raw or stdcopy); a client that
            // created a TTY exec and starts it without Tty reads frames.
            output.tty = config.Tty ?? false
            return APIResponse(status: .switchingProtocols,
                               body: .hijack(HijackSession(stdin: continuation, output: output,
                                                           upgrade: request.wantsUpgrade,
                                                           version: request.version)))
        },
        Route(.POST, "/exec/{name}/resize") { request, name, engine in
            let (height, width) = try ContainerRoutes.size(request)
            try await engine.resizeExec(name, height: height, width: width)
            return APIResponse(status: .ok)
        },
        Route(.GET, "/exec/{name}/json") { _, name, engine in try .json(try await engine.exec(name)) },
    ]
}
