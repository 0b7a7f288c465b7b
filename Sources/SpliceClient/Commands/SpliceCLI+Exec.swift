import DockerModels

extension SpliceCLI {
    static func exec(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "exec", flags: [
            .init("detach", "d"), .init("detach-keys", value: true), .init("env", "e", value: true),
            .init("env-file", value: true), .init("interactive", "i"), .init("privileged"), .init("tty", "t"),
            .init("user", "u", value: true), .init("workdir", "w", value: true),
        ], interspersed: false)
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 2...Int.max, usage: "[OPTIONS] CONTAINER COMMAND [ARG...]")
        let name = parsed.positionals[0]
        let detach = parsed.bool("detach")
        let tty = parsed.bool("tty")
        var config = ExecConfig()
        config.User = parsed.value("user") ?? ""
        config.Privileged = parsed.bool("privileged")
        config.Tty = tty
        config.AttachStdin = !detach && parsed.bool("interactive")
        config.AttachStdout = !detach
        config.AttachStderr = !detach
        config.Detach = detach
        config.DetachKeys = parsed.value("detach-keys") ?? ""
        config.WorkingDir = parsed.value("workdir") ?? ""
        config.Cmd = Array(parsed.positionals.dropFirst())
        var env: [String] = []
        for file in parsed.all("env-file") {
            do {
                env += try DockerOpts.keyValueLines(String(decoding: try DockerOpts.readFile(file), as: UTF8.self),
                                                    file: file, lookup: { context.environment[$0] })
            } catch {
                throw .client(error.reason)
            }
        }
        for value in parsed.all("env") {
            if !value.contains("="), let found = context.environment[value] {
                env.append(value + "=" + found)
            } else {
                env.append(value)
            }
        }
        config.Env = env.isEmpty ? nil : env
        if tty, config.AttachStdin == true, context.terminalFD == nil {
            throw .client("the input device is not a TTY")
        }
        _ = try context.client.call("GET", path("containers", name, "/json"))
        let created = try context.client.decode(IDResponse.self, "POST", path("containers", name, "/exec"),
                                                body: try DockerClient.encode(config))
        let execPath = path("exec", created.Id)
        if detach {
            _ = try context.client.call("POST", execPath + "/start",
                                        body: try DockerClient.encode(ExecStartConfig(Detach: true, Tty: tty)))
            return 0
        }
        let startBody = try DockerClient.encode(ExecStartConfig(Detach: false, Tty: tty))
        let connection = try context.client.hijack(execPath + "/start", query: [], body: startBody)
        let session = PreparedAttach(connection: connection, tty: tty, stdin: config.AttachStdin == true,
                                     detachKeys: parsed.value("detach-keys").flatMap(DetachKeys.parse)
                                        ?? DetachKeys.defaultSequence,
                                     proxySignals: false, resize: resizer(execPath, context), forwardSignal: { _ in })
        switch session.run(context, initialResize: .exact) {
        case .detached:
            context.console.err("read escape sequence")
            return 1
        case .signalled(let signal): return 128 + signal
        case .ended: break
        }
        let inspect = try context.client.decode(ExecInspect.self, "GET", execPath + "/json")
        return Int32(truncatingIfNeeded: inspect.ExitCode ?? 0)
    }
}
