import DockerModels

/// Which streams an attach asks for.
struct AttachStreams {
    var stdin: Bool
    var stdout: Bool
    var stderr: Bool
}

/// A hijacked attach or exec stream opened but not yet pumped (the CLI opens it before `start`).
struct PreparedAttach {
    /// How the first resize is sent: the size itself (`run`, `start`, `exec`), or one larger then the size, which
    /// makes a running program redraw (`attach`).
    enum InitialResize {
        case exact
        case redraw
    }

    var connection: SocketConnection
    var tty: Bool
    var stdin: Bool
    var detachKeys: [UInt8]
    var proxySignals: Bool
    var resize: @Sendable ([Int]) -> Void
    var forwardSignal: @Sendable (String) -> Void

    /// Pumps the stream until it ends or the user detaches, resizing first with a TTY.
    func run(_ context: CommandContext, initialResize: InitialResize) -> AttachSession.Outcome {
        if tty, let terminal = context.terminalFD, let size = TerminalMode.size(of: terminal) {
            if initialResize == .redraw { resize([size[0] + 1, size[1] + 1]) }
            resize(size)
        }
        let options = AttachSession.Options(tty: tty, stdinFD: stdin ? context.stdinFD : nil,
                                            terminalFD: context.terminalFD, detachKeys: detachKeys,
                                            proxySignals: proxySignals && !tty)
        return AttachSession(connection: connection, options: options, console: context.console, resize: resize,
                             forwardSignal: forwardSignal).run()
    }
}

extension SpliceCLI {
    /// The resize request for a container or exec, on its own connection (it is sent from the signal thread).
    static func resizer(_ resource: String, _ context: CommandContext) -> @Sendable ([Int]) -> Void {
        let endpoint = context.client.endpoint
        let version = try? context.client.apiVersion()
        return { size in
            let client = DockerClient(endpoint: endpoint, apiVersion: version)
            _ = try? client.call("POST", resource + "/resize", query: [("h", String(size[0])), ("w", String(size[1]))])
        }
    }

    /// Opens `POST /containers/{id}/attach` (hijacked) for `streams`.
    static func prepareAttach(_ id: String, streams: AttachStreams, tty: Bool, detachKeys: String?,
                              proxySignals: Bool, _ context: CommandContext) throws(ClientError) -> PreparedAttach {
        var query: [(String, String)] = [("stream", "1")]
        if streams.stdin { query.append(("stdin", "1")) }
        if streams.stdout { query.append(("stdout", "1")) }
        if streams.stderr { query.append(("stderr", "1")) }
        if let detachKeys { query.append(("detachKeys", detachKeys)) }
        let connection = try context.client.hijack(path("containers", id, "/attach"), query: query)
        let endpoint = context.client.endpoint
        let version = try? context.client.apiVersion()
        let killPath = path("containers", id, "/kill")
        return PreparedAttach(connection: connection, tty: tty, stdin: streams.stdin,
                              detachKeys: detachKeys.flatMap(DetachKeys.parse) ?? DetachKeys.defaultSequence,
                              proxySignals: proxySignals, resize: resizer(path("containers", id), context),
                              forwardSignal: { name in
                                  let client = DockerClient(endpoint: endpoint, apiVersion: version)
                                  _ = try? client.call("POST", killPath, query: [("signal", name)])
                              })
    }

    static func attach(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "attach", flags: [
            .init("no-stdin"), .init("sig-proxy"), .init("detach-keys", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...1, usage: "[OPTIONS] CONTAINER")
        let name = parsed.positionals[0]
        let wait = try context.client.checked(method: "POST", path: path("containers", name, "/wait"))
        let inspect = try context.client.decode(ContainerInspect.self, "GET", path("containers", name, "/json"))
        if !inspect.State.Running { throw .client("You cannot attach to a stopped container, start it first") }
        if inspect.State.Paused { throw .client("You cannot attach to a paused container, unpause it first") }
        if inspect.State.Restarting {
            throw .client("You cannot attach to a restarting container, wait until it is running")
        }
        let tty = inspect.Config.Tty == true
        let stdin = !parsed.bool("no-stdin") && inspect.Config.OpenStdin == true
        if tty, stdin, context.terminalFD == nil { throw .client("the input device is not a TTY") }
        let session = try prepareAttach(inspect.Id, streams: AttachStreams(stdin: stdin, stdout: true, stderr: true),
                                        tty: tty, detachKeys: parsed.value("detach-keys"),
                                        proxySignals: parsed.defaultOn("sig-proxy"), context)
        switch session.run(context, initialResize: .redraw) {
        case .detached:
            context.console.err("read escape sequence")
            return 1
        case .signalled(let signal): return 128 + signal
        case .ended: return try exitStatus(from: wait, context)
        }
    }

    static func start(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "start", flags: [
            .init("attach", "a"), .init("interactive", "i"), .init("detach-keys", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "[OPTIONS] CONTAINER [CONTAINER...]")
        guard parsed.bool("attach") || parsed.bool("interactive") else {
            return forEach(parsed.positionals, context) { name throws(ClientError) in
                _ = try context.client.call("POST", path("containers", name, "/start"))
                context.console.out(name)
            }
        }
        guard parsed.positionals.count == 1 else {
            throw .client("you cannot start and attach multiple containers at once")
        }
        let inspect = try context.client.decode(ContainerInspect.self, "GET",
                                                path("containers", parsed.positionals[0], "/json"))
        let tty = inspect.Config.Tty == true
        let stdin = parsed.bool("interactive") && inspect.Config.OpenStdin == true
        if tty, stdin, context.terminalFD == nil { throw .client("the input device is not a TTY") }
        let wait = try context.client.checked(method: "POST", path: path("containers", inspect.Id, "/wait"),
                                              query: [("condition", "next-exit")])
        let session = try prepareAttach(inspect.Id, streams: AttachStreams(stdin: stdin, stdout: true, stderr: true),
                                        tty: tty, detachKeys: parsed.value("detach-keys"), proxySignals: true, context)
        _ = try context.client.call("POST", path("containers", inspect.Id, "/start"))
        switch session.run(context, initialResize: .exact) {
        case .detached: return 0
        case .signalled(let signal): return 128 + signal
        case .ended: return try exitStatus(from: wait, context)
        }
    }
}
