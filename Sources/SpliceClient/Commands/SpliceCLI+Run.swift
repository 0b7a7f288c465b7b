import DockerModels
import FoundationEssentials
import struct SystemKit.PhaseTimer
#if canImport(Glibc)
import Glibc
#endif

extension SpliceCLI {
    /// Creates the container; on "No such image" pulls it (as the CLI does) and creates again.
    private static func createContainer(_ request: ContainerCreateRequest, name: String?, _ context: CommandContext)
        throws(ClientError) -> String {
        let query = name.map { [("name", $0)] } ?? []
        let body = try DockerClient.encode(request)
        let response: ContainerCreateResponse
        do {
            response = try context.client.decode(ContainerCreateResponse.self, "POST", "/containers/create",
                                                 query: query, body: body)
        } catch let error where error.isNotFound {
            let image = request.config.Image ?? ""
            let (repository, tag) = splitReference(image)
            context.console.err("Unable to find image '\(repository):\(tag ?? "latest")' locally")
            if let failure = try pull(image, context) { throw .daemon(status: 500, message: failure) }
            response = try context.client.decode(ContainerCreateResponse.self, "POST", "/containers/create",
                                                 query: query, body: body)
        }
        for warning in response.Warnings { context.console.err("WARNING: \(warning)") }
        return response.Id
    }

    /// `--cidfile`: refuses an existing file, creates it before the container, writes the ID after.
    private static func withContainerIDFile(_ path: String?, _ body: () throws(ClientError) -> String)
        throws(ClientError) -> String {
        guard let path, !path.isEmpty else { return try body() }
        if access(path, F_OK) == 0 {
            throw .client("Container ID file found, make sure the other container isn't running or delete \(path)")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .client("failed to create the container ID file: open \(path): \(DockerOpts.errnoText(errno))")
        }
        defer { close(fd) }
        let id: String
        do {
            id = try body()
        } catch {
            unlink(path)
            throw error
        }
        let bytes = Array(id.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written != bytes.count {
            throw .client("failed to write the container ID to the file: \(DockerOpts.errnoText(errno))")
        }
        return id
    }

    /// The run/create error line (`splice: <error>` + help hint) and docker's exit status for it.
    private static func report(_ error: ClientError, _ command: String, _ context: CommandContext) -> Int32 {
        if case .usage(let text) = error {
            context.console.err(text)
            return 125
        }
        var text = error.description
        if case .client(let message) = error { text = message }
        context.console.err("splice: \(text)\n\nRun 'splice \(command) --help' for more information")
        guard case .daemon(_, let message) = error else { return 125 }
        if message.contains("executable file not found") || message.contains("no such file or directory") {
            return 127
        }
        if message.contains("permission denied") || message.contains("is a directory") { return 126 }
        return 125
    }

    private static func createInput(_ parsed: ArgumentScanner.Parsed, command: String, detach: Bool,
                                    _ context: CommandContext) -> CreateInput {
        let size = parsed.bool("tty") ? context.terminalFD.flatMap { TerminalMode.size(of: $0) } : nil
        return CreateInput(command: command, detach: detach, environment: context.environment, consoleSize: size)
    }

    static func create(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let parsed = try ArgumentScanner(command: "create", flags: runFlags, interspersed: false).scan(arguments)
        let (request, name) = try createRequest(parsed, createInput(parsed, command: "create", detach: true, context))
        do {
            let id = try withContainerIDFile(parsed.value("cidfile")) { () throws(ClientError) in
                try createContainer(request, name: name, context)
            }
            context.console.out(id)
        } catch {
            return report(error, "create", context)
        }
        return 0
    }

    static func runContainer(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let parsed = try ArgumentScanner(command: "run", flags: runFlags, interspersed: false).scan(arguments)
        let detach = parsed.bool("detach")
        let (request, name) = try createRequest(parsed, createInput(parsed, command: "run", detach: detach, context))
        let config = request.config
        if !detach, config.Tty == true, config.AttachStdin == true, context.terminalFD == nil {
            context.console.err("the input device is not a TTY")
            return 1
        }
        let id: String
        do {
            id = try withContainerIDFile(parsed.value("cidfile")) { () throws(ClientError) in
                try createContainer(request, name: name, context)
            }
        } catch {
            return report(error, "run", context)
        }
        if detach {
            do { _ = try context.client.call("POST", path("containers", id, "/start")) } catch {
                return report(error, "run", context)
            }
            context.console.out(id)
            return 0
        }
        let streams = AttachStreams(stdin: config.AttachStdin == true, stdout: config.AttachStdout == true,
                                    stderr: config.AttachStderr == true)
        let condition = request.hostConfig?.AutoRemove == true ? "removed" : "next-exit"
        let session: PreparedAttach
        let wait: HTTPResponse
        do {
            session = try prepareAttach(id, streams: streams, tty: config.Tty == true,
                                        detachKeys: parsed.value("detach-keys"),
                                        proxySignals: parsed.defaultOn("sig-proxy"), context)
            wait = try context.client.checked(method: "POST", path: path("containers", id, "/wait"),
                                              query: [("condition", condition)])
            _ = try context.client.call("POST", path("containers", id, "/start"))
        } catch {
            return report(error, "run", context)
        }
        let attached = ContinuousClock.now
        let outcome = session.run(context, initialResize: .exact)
        let ended = ContinuousClock.now
        defer {
            context.client.debug?("run: output ended \(PhaseTimer.milliseconds(ended - attached)) after the start, "
                + "exit status \(PhaseTimer.milliseconds(ContinuousClock.now - ended)) later")
        }
        switch outcome {
        case .detached: return 0
        case .signalled(let signal): return 128 + signal
        case .ended: return try exitStatus(from: wait, context)
        }
    }

    /// Reads a `wait` answer: prints its error, returns its status code.
    static func exitStatus(from wait: HTTPResponse, _ context: CommandContext) throws(ClientError) -> Int32 {
        let body = try wait.readBody()
        do {
            let result = try JSONDecoder().decode(ContainerWaitResponse.self, from: Data(body))
            if let message = result.Error?.Message { context.console.err("splice: \(message)") }
            return Int32(truncatingIfNeeded: result.StatusCode)
        } catch {
            throw .transport("cannot decode wait response: \(error)")
        }
    }
}
