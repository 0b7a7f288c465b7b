import DockerModels
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

extension SpliceCLI {
    static let runFlags: [ArgumentScanner.Flag] = [
        .init("detach", "d"), .init("rm"), .init("name", value: true), .init("env", "e", value: true),
        .init("env-file", value: true), .init("workdir", "w", value: true), .init("user", "u", value: true),
        .init("hostname", "h", value: true), .init("publish", "p", value: true), .init("publish-all", "P"),
        .init("net", value: true), .init("network", value: true), .init("volume", "v", value: true),
        .init("memory", "m", value: true), .init("entrypoint", value: true), .init("expose", value: true),
        .init("interactive", "i"), .init("tty", "t"),
    ]

    /// Builds the create body and `name` from `docker run`/`create` flags.
    public static func createRequest(_ parsed: ArgumentScanner.Parsed, detach: Bool)
        throws(ClientError) -> (ContainerCreateRequest, String?) {
        if parsed.bool("interactive") || parsed.bool("tty") {
            throw .usage("splice: -i and -t are not supported yet")
        }
        guard let image = parsed.positionals.first else {
            throw .usage("\"splice run\" requires at least 1 argument.\nSee 'splice run --help'.")
        }
        var config = ContainerConfig()
        config.Image = image
        config.AttachStdout = !detach
        config.AttachStderr = !detach
        config.AttachStdin = false
        config.OpenStdin = false
        config.StdinOnce = false
        config.Tty = false
        let command = Array(parsed.positionals.dropFirst())
        config.Cmd = command.isEmpty ? nil : command
        var env: [String] = []
        for file in parsed.all("env-file") { env += try readEnvFile(file) }
        env += parsed.all("env")
        config.Env = env
        config.WorkingDir = parsed.value("workdir") ?? ""
        config.User = parsed.value("user") ?? ""
        config.Hostname = parsed.value("hostname") ?? ""
        if let entrypoint = parsed.value("entrypoint") { config.Entrypoint = [entrypoint] }
        var host = HostConfig()
        host.AutoRemove = parsed.bool("rm")
        host.RestartPolicy = .init(Name: "no")
        let network = parsed.value("network") ?? parsed.value("net") ?? "default"
        host.NetworkMode = network
        var exposed: [String: EmptyObject] = [:]
        var bindings: [String: [HostConfig.PortBinding]] = [:]
        for spec in parsed.all("publish") {
            let (key, binding) = try portSpec(spec)
            exposed[key] = EmptyObject()
            bindings[key, default: []].append(binding)
        }
        for spec in parsed.all("expose") { exposed[spec.contains("/") ? spec : spec + "/tcp"] = EmptyObject() }
        config.ExposedPorts = exposed.isEmpty ? nil : exposed
        host.PortBindings = bindings
        host.PublishAllPorts = parsed.bool("publish-all")
        var volumes: [String: EmptyObject] = [:]
        var binds: [String] = []
        for spec in parsed.all("volume") {
            if spec.contains(":") { binds.append(spec) } else { volumes[spec] = EmptyObject() }
        }
        config.Volumes = volumes.isEmpty ? nil : volumes
        host.Binds = binds.isEmpty ? nil : binds
        if let memory = parsed.value("memory") { host.Memory = try ramInBytes(memory) }
        let endpoints: [String: EndpointSettings] = network == "default" ? ["default": EndpointSettings()] : [:]
        return (ContainerCreateRequest(config: config, hostConfig: host,
                                       networkingConfig: .init(EndpointsConfig: endpoints)), parsed.value("name"))
    }

    /// Parses `[ip:][hostPort:]containerPort[/proto]`.
    public static func portSpec(_ spec: String) throws(ClientError) -> (String, HostConfig.PortBinding) {
        var text = Substring(spec)
        var proto = "tcp"
        if let slash = text.lastIndex(of: "/") {
            proto = String(text[text.index(after: slash)...])
            text = text[..<slash]
        }
        guard ["tcp", "udp", "sctp"].contains(proto) else { throw .usage("invalid proto: \(proto)") }
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let container = parts.popLast(), let port = Int(container), (1...65535).contains(port) else {
            throw .usage("invalid containerPort: \(spec)")
        }
        let hostPort = parts.popLast() ?? ""
        let hostIP = parts.joined(separator: ":")
        guard hostPort.isEmpty || Int(hostPort).map({ (0...65535).contains($0) }) == true else {
            throw .usage("invalid hostPort: \(hostPort)")
        }
        return ("\(port)/\(proto)", .init(HostIp: hostIP, HostPort: hostPort))
    }

    /// go-units `RAMInBytes`: `64m` → 67108864.
    public static func ramInBytes(_ text: String) throws(ClientError) -> Int64 {
        let lower = text.lowercased()
        var digits = Substring(lower)
        var multiplier: Int64 = 1
        if digits.hasSuffix("b") { digits = digits.dropLast() }
        switch digits.last {
        case "k": multiplier = 1 << 10
        case "m": multiplier = 1 << 20
        case "g": multiplier = 1 << 30
        case "t": multiplier = 1 << 40
        default: break
        }
        if multiplier > 1 { digits = digits.dropLast() }
        guard let value = Double(digits), value >= 0 else {
            throw .usage("invalid argument \"\(text)\" for \"-m, --memory\" flag: invalid size: '\(text)'")
        }
        return Int64(value * Double(multiplier))
    }

    private static func readEnvFile(_ file: String) throws(ClientError) -> [String] {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .client("open \(file): no such file or directory") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingSpaces
            return trimmed.isEmpty || trimmed.hasPrefix("#") ? nil : trimmed
        }
    }

    /// Creates the container; on "No such image" pulls it (as the CLI does) and creates again.
    private static func createContainer(_ request: ContainerCreateRequest, name: String?, _ context: CommandContext)
        throws(ClientError) -> String {
        let query = name.map { [("name", $0)] } ?? []
        let body = try DockerClient.encode(request)
        let response: ContainerCreateResponse
        do {
            response = try context.client.decode(ContainerCreateResponse.self, "POST", "/containers/create", query: query,
                                                 body: body)
        } catch let error where error.isNotFound {
            let image = request.config.Image ?? ""
            let (repository, tag) = splitReference(image)
            context.console.err("Unable to find image '\(repository):\(tag ?? "latest")' locally")
            if let failure = try pull(image, context) { throw .daemon(status: 500, message: failure) }
            response = try context.client.decode(ContainerCreateResponse.self, "POST", "/containers/create", query: query,
                                                 body: body)
        }
        for warning in response.Warnings { context.console.err("WARNING: \(warning)") }
        return response.Id
    }

    static func create(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let parsed = try ArgumentScanner(command: "create", flags: runFlags, interspersed: false).scan(arguments)
        let (request, name) = try createRequest(parsed, detach: true)
        do {
            context.console.out(try createContainer(request, name: name, context))
        } catch {
            context.console.err("splice: \(error.description)\n\nRun 'splice create --help' for more information")
            return 125
        }
        return 0
    }

    static func runContainer(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let parsed = try ArgumentScanner(command: "run", flags: runFlags, interspersed: false).scan(arguments)
        let detach = parsed.bool("detach")
        let (request, name) = try createRequest(parsed, detach: detach)
        func fail(_ error: ClientError) -> Int32 {
            context.console.err("splice: \(error.description)\n\nRun 'splice run --help' for more information")
            guard case .daemon(_, let message) = error else { return 125 }
            if message.contains("executable file not found") || message.contains("no such file or directory") {
                return 127
            }
            if message.contains("permission denied") || message.contains("is a directory") { return 126 }
            return 125
        }
        let id: String
        do { id = try createContainer(request, name: name, context) } catch { return fail(error) }
        if detach {
            do { _ = try context.client.call("POST", path("containers", id, "/start")) } catch { return fail(error) }
            context.console.out(id)
            return 0
        }
        let attach: SocketConnection
        let wait: HTTPResponse
        do {
            attach = try context.client.hijack(path("containers", id, "/attach"),
                                               query: [("stderr", "1"), ("stdout", "1"), ("stream", "1")])
            attach.shutdownWrite()
            let condition = request.hostConfig?.AutoRemove == true ? "removed" : "next-exit"
            wait = try context.client.checked(method: "POST", path: path("containers", id, "/wait"),
                                              query: [("condition", condition)])
            _ = try context.client.call("POST", path("containers", id, "/start"))
        } catch {
            return fail(error)
        }
        try copyStream(attach.readSome, tty: false, console: context.console)
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
