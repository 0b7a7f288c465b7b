import DockerModels
import FoundationEssentials

extension SpliceCLI {
    static func path(_ collection: String, _ name: String, _ suffix: String = "") -> String {
        "/\(collection)/\(DockerClient.pathEscape(name))\(suffix)"
    }

    static func inspect(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "inspect", flags: [
            .init("format", "f", value: true), .init("type", value: true), .init("size", "s"),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "[OPTIONS] NAME|ID [NAME|ID...]")
        let kind = parsed.value("type")
        if let kind, !["container", "image"].contains(kind) {
            throw .client("\"\(kind)\" is not a valid value for --type")
        }
        let template = try parsed.value("format").map { format throws(ClientError) in try GoTemplate(format) }
        var found: [JSONValue] = []
        var failures: [String] = []
        for name in parsed.positionals {
            var value: JSONValue?
            for collection in ["containers", "images"] where kind == nil || kind == String(collection.dropLast()) {
                do {
                    let query = parsed.bool("size") && collection == "containers" ? [("size", "1")] : []
                    value = try JSONValue.parse(try context.client.call("GET", path(collection, name, "/json"),
                                                                        query: query))
                    break
                } catch let error where error.isNotFound {
                    continue
                }
            }
            if let value {
                found.append(value)
            } else {
                failures.append(kind.map { "No such \($0): \(name)" } ?? "No such object: \(name)")
            }
        }
        return try printInspected(found, failures: failures.map { "Error: \($0)" }, template: template, context)
    }

    static func logs(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "logs", flags: [
            .init("follow", "f"), .init("timestamps", "t"), .init("tail", "n", value: true),
            .init("since", value: true), .init("until", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...1, usage: "[OPTIONS] CONTAINER")
        let name = parsed.positionals[0]
        let tail = parsed.value("tail") ?? "all"
        guard tail == "all" || Int(tail) != nil else {
            throw .usage("invalid argument \"\(tail)\" for \"-n, --tail\" flag: expected a number or \"all\"")
        }
        let inspect = try JSONValue.parse(try context.client.call("GET", path("containers", name, "/json")))
        let id = inspect["Id"]?.stringValue ?? name
        let tty = inspect["Config"]?["Tty"] == .bool(true)
        var query: [(String, String)] = [("stdout", "1"), ("stderr", "1"), ("tail", tail)]
        if parsed.bool("follow") { query.append(("follow", "1")) }
        if parsed.bool("timestamps") { query.append(("timestamps", "1")) }
        if let since = parsed.value("since") { query.append(("since", try Timestamp.unix(since, now: context.now()))) }
        if let until = parsed.value("until") { query.append(("until", try Timestamp.unix(until, now: context.now(), flag: "until"))) }
        let response = try context.client.checked(method: "GET", path: path("containers", id, "/logs"), query: query)
        try copyStream(response.nextChunk, tty: tty, console: context.console)
        return 0
    }

    /// Copies a stdcopy (or raw TTY) stream to the console as it arrives.
    static func copyStream(_ next: () throws(ClientError) -> [UInt8]?, tty: Bool, console: Console)
        throws(ClientError) {
        var pending: [UInt8] = []
        while let piece = try next() {
            if tty {
                console.stdout(piece)
                continue
            }
            pending += piece
            let (chunks, consumed) = StdcopyFrame.decode(pending)
            pending.removeFirst(consumed)
            for chunk in chunks { chunk.stream == .stderr ? console.stderr(chunk.bytes) : console.stdout(chunk.bytes) }
        }
    }

    static func rm(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "rm", flags: [.init("force", "f"), .init("volumes", "v"), .init("link", "l")])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "[OPTIONS] CONTAINER [CONTAINER...]")
        var query: [(String, String)] = []
        if parsed.bool("force") { query.append(("force", "1")) }
        if parsed.bool("link") { query.append(("link", "1")) }
        if parsed.bool("volumes") { query.append(("v", "1")) }
        return forEach(parsed.positionals, context) { name throws(ClientError) in
            let target = name.hasPrefix("/") ? String(name.dropFirst()) : name
            _ = try context.client.call("DELETE", path("containers", target), query: query)
            context.console.out(name)
        }
    }

    static func stop(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        try stopOrRestart("stop", arguments, context)
    }

    /// `stop` and `restart`: `-t` seconds before SIGKILL and `-s` the first signal, for each container named.
    static func stopOrRestart(_ command: String, _ arguments: [String], _ context: CommandContext)
        throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: command, flags: [
            .init("time", "t", value: true), .init("signal", "s", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "[OPTIONS] CONTAINER [CONTAINER...]")
        var query: [(String, String)] = []
        if let time = try scanner.integer(parsed, "time") { query.append(("t", String(time))) }
        if let signal = parsed.value("signal") { query.append(("signal", signal)) }
        return forEach(parsed.positionals, context) { name throws(ClientError) in
            _ = try context.client.call("POST", path("containers", name, "/" + command), query: query)
            context.console.out(name)
        }
    }

    static func kill(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "kill", flags: [.init("signal", "s", value: true)])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "[OPTIONS] CONTAINER [CONTAINER...]")
        let query = parsed.value("signal").map { [("signal", $0)] } ?? []
        return forEach(parsed.positionals, context) { name throws(ClientError) in
            _ = try context.client.call("POST", path("containers", name, "/kill"), query: query)
            context.console.out(name)
        }
    }

    static func wait(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "wait", flags: [])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "CONTAINER [CONTAINER...]")
        return forEach(parsed.positionals, context) { name throws(ClientError) in
            let result = try context.client.decode(ContainerWaitResponse.self, "POST", path("containers", name, "/wait"))
            context.console.out(String(result.StatusCode))
        }
    }

    static func port(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "port", flags: [])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...2, usage: "CONTAINER [PRIVATE_PORT[/PROTO]]")
        let inspect = try context.client.decode(ContainerInspect.self, "GET", path("containers", parsed.positionals[0], "/json"))
        func order(_ key: String) -> (Int, String) {
            let parts = key.split(separator: "/")
            return (Int(parts.first ?? "") ?? 0, parts.count > 1 ? String(parts[1]) : "tcp")
        }
        var wanted: String?
        if parsed.positionals.count == 2 {
            let spec = parsed.positionals[1]
            wanted = spec.contains("/") ? spec : spec + "/tcp"
        }
        var lines: [String] = []
        for key in inspect.NetworkSettings.Ports.keys.sorted(by: { order($0) < order($1) }) {
            if let wanted, key != wanted { continue }
            for binding in (inspect.NetworkSettings.Ports[key] ?? nil) ?? [] {
                let ip = binding.HostIp ?? ""
                let host = ip.contains(":") ? "[\(ip)]" : ip
                lines.append(wanted == nil ? "\(key) -> \(host):\(binding.HostPort ?? "")" : "\(host):\(binding.HostPort ?? "")")
            }
        }
        if let wanted, lines.isEmpty {
            throw .client("No public port '\(wanted)' published for \(parsed.positionals[0])")
        }
        for line in lines { context.console.out(line) }
        return 0
    }

    static func top(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "top", flags: [], interspersed: false)
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "CONTAINER [ps OPTIONS]")
        var query: [(String, String)] = []
        if parsed.positionals.count > 1 { query.append(("ps_args", parsed.positionals.dropFirst().joined(separator: " "))) }
        let top = try context.client.decode(ContainerTopResponse.self, "GET", path("containers", parsed.positionals[0], "/top"),
                                            query: query)
        var table = TableWriter(minWidth: 20)
        table.append(top.Titles)
        for process in top.Processes { table.append(process) }
        context.console.write(table.render())
        return 0
    }
}
