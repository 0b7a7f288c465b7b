import DockerModels
import FoundationEssentials
import JSONKit
#if canImport(Glibc)
import Glibc
#endif

extension SpliceCLI {
    /// Splits `name[:tag|@digest]` into the `fromImage` and `tag` a pull sends (a digest goes in `tag`).
    static func pullParameters(_ reference: String) -> (repository: String, tag: String?) {
        if let at = reference.firstIndex(of: "@") {
            return (String(reference[..<at]), String(reference[reference.index(after: at)...]))
        }
        return splitReference(reference)
    }

    /// The reference as the docker CLI prints it after a pull: `docker.io/library/bb:latest`.
    static func fullReference(_ repository: String, tag: String?) -> String {
        let name = normalized(repository)
        guard let tag else { return name }
        return name + (tag.hasPrefix("sha256:") ? "@" : ":") + tag
    }

    /// Shows a progress stream as the docker CLI does; returns the in-band error, if any.
    static func displayProgress(_ response: HTTPResponse, _ context: CommandContext, quiet: Bool = false,
                                toStderr: Bool = false) throws(ClientError) -> String? {
        var display = ProgressDisplay(isTerminal: !quiet && TerminalMode.isTerminal(toStderr ? 2 : 1))
        var pending: [UInt8] = []
        var failure: String?
        func handle(_ line: ArraySlice<UInt8>) throws(ClientError) {
            guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) else { return }
            let message = try JSONValue.parse(Array(line))
            if let error = message["error"]?.stringValue {
                failure = error
                return
            }
            guard !quiet, message["aux"] == nil else { return }
            let text = display.render(message)
            guard !text.isEmpty else { return }
            if toStderr { context.console.stderr(Array(text.utf8)) } else { context.console.write(text) }
        }
        while let piece = try response.nextChunk() {
            pending += piece
            while let newline = pending.firstIndex(of: 0x0A) {
                try handle(pending[..<newline])
                pending.removeFirst(newline + 1)
            }
        }
        if !pending.isEmpty { try handle(pending[...]) }
        return failure
    }

    /// The saved `X-Registry-Auth` value for the registry of `reference`.
    static func registryAuth(forImage reference: String, _ context: CommandContext) throws(ClientError) -> String {
        let file = DockerConfigFile(environment: context.environment)
        return try file.registryAuthHeader(for: DockerConfigFile.key(forImage: reference))
    }

    static func pullImage(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "pull", flags: [
            .init("all-tags", "a"), .init("quiet", "q"), .init("platform", value: true),
            .init("disable-content-trust"),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...1, usage: "[OPTIONS] NAME[:TAG|@DIGEST]")
        let name = parsed.positionals[0]
        var (repository, tag) = pullParameters(name)
        let all = parsed.bool("all-tags")
        if all, tag != nil { throw .usage("tag can't be used with --all-tags/-a") }
        if !all, tag == nil { tag = "latest" }
        if let platform = parsed.value("platform"), platform != "linux/amd64", platform != "linux" {
            throw .client("only linux/amd64 images can be pulled (asked for \(platform))")
        }
        let response = try context.client.checked(
            method: "POST", path: "/images/create", query: [("fromImage", repository), ("tag", tag ?? "")],
            headers: [("X-Registry-Auth", try registryAuth(forImage: repository, context))])
        if let failure = try displayProgress(response, context, quiet: parsed.bool("quiet")) {
            context.console.err(failure)
            return 1
        }
        context.console.out(fullReference(repository, tag: tag))
        return 0
    }

    static func pushImage(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "push", flags: [
            .init("all-tags", "a"), .init("quiet", "q"), .init("disable-content-trust"),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...1, usage: "[OPTIONS] NAME[:TAG]")
        var (repository, tag) = splitReference(parsed.positionals[0])
        let all = parsed.bool("all-tags")
        if all, tag != nil { throw .usage("tag can't be used with --all-tags/-a") }
        if !all, tag == nil { tag = "latest" }
        let response = try context.client.checked(
            method: "POST", path: path("images", repository, "/push"), query: [("tag", tag ?? "")],
            headers: [("X-Registry-Auth", try registryAuth(forImage: repository, context))])
        let quiet = parsed.bool("quiet")
        if let failure = try displayProgress(response, context, quiet: quiet) {
            context.console.err(failure)
            return 1
        }
        if quiet { context.console.out(repository + (tag.map { ":" + $0 } ?? "")) }
        return 0
    }

    static func login(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "login", flags: [
            .init("username", "u", value: true), .init("password", "p", value: true), .init("password-stdin"),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...1, usage: "[OPTIONS] [SERVER]")
        let server = parsed.positionals.first
        var username = parsed.value("username")
        var password = parsed.value("password")
        if password != nil {
            if parsed.bool("password-stdin") { throw .client("--password and --password-stdin are mutually exclusive") }
            context.console.err("WARNING! Using --password via the CLI is insecure. Use --password-stdin.")
        }
        if parsed.bool("password-stdin") {
            guard username != nil else { throw .client("Must provide --username with --password-stdin") }
            var bytes = readAll(context.stdinFD)
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            password = String(decoding: bytes, as: UTF8.self)
        }
        if username == nil || password == nil {
            guard TerminalMode.isTerminal(context.stdinFD) else {
                throw .client("Cannot perform an interactive login from a non TTY device")
            }
            if username == nil {
                context.console.write("Username: ")
                username = readLine(context.stdinFD, echo: true)
            }
            if password == nil {
                context.console.write("Password: ")
                password = readLine(context.stdinFD, echo: false)
                context.console.write("\n")
            }
        }
        guard let username, !username.isEmpty else { throw .client("Username is required") }
        guard let password, !password.isEmpty else { throw .client("Password is required") }
        let key = DockerConfigFile.key(for: server)
        let body = JSONValue.object([
            .init("username", .string(username)), .init("password", .string(password)),
            .init("serveraddress", .string(key)),
        ])
        let answer = try JSONValue.parse(try context.client.call("POST", "/auth", body: Array(body.compactText.utf8)))
        try DockerConfigFile(environment: context.environment).save(username: username, password: password, for: key)
        context.console.out(answer["Status"]?.stringValue ?? "Login Succeeded")
        return 0
    }

    static func logout(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "logout", flags: [])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...1, usage: "[SERVER]")
        let key = DockerConfigFile.key(for: parsed.positionals.first)
        if try DockerConfigFile(environment: context.environment).remove(key) {
            context.console.out("Removing login credentials for \(key)")
        } else {
            context.console.out("Not logged in to \(key)")
        }
        return 0
    }

    static func search(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "search", flags: [
            .init("limit", value: true), .init("filter", "f", value: true), .init("no-trunc"),
            .init("format", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...1, usage: "[OPTIONS] TERM")
        let term = parsed.positionals[0]
        var query: [(String, String)] = [("term", term)]
        if let limit = try scanner.integer(parsed, "limit"), limit != 0 { query.append(("limit", String(limit))) }
        var filters: [String: [String]] = [:]
        for filter in parsed.all("filter") {
            guard let equals = filter.firstIndex(of: "=") else {
                throw .client("bad format of filter (expected name=value)")
            }
            filters[String(filter[..<equals]), default: []].append(String(filter[filter.index(after: equals)...]))
        }
        if !filters.isEmpty {
            let members = filters.keys.sorted().map { key in
                JSONValue.Member(key, .object((filters[key] ?? []).map { JSONValue.Member($0, .bool(true)) }))
            }
            query.append(("filters", JSONValue.object(members).compactText))
        }
        let response = try context.client.checked(
            method: "GET", path: "/images/search", query: query,
            headers: [("X-Registry-Auth", try registryAuth(forImage: term, context))])
        let results = try JSONValue.parse(try response.readBody()).arrayValue ?? []
        if let format = parsed.value("format") {
            let template = try GoTemplate(format)
            for result in results {
                let row = JSONValue.object([
                    .init("Name", result["name"] ?? .string("")),
                    .init("Description", result["description"] ?? .string("")),
                    .init("StarCount", result["star_count"] ?? .number("0")),
                    .init("IsOfficial", result["is_official"] ?? .bool(false)),
                    .init("IsAutomated", result["is_automated"] ?? .bool(false)),
                ])
                context.console.out(try template.render(row))
            }
            return 0
        }
        var table = TableWriter()
        table.append(["NAME", "DESCRIPTION", "STARS", "OFFICIAL"])
        for result in results {
            var description = (result["description"]?.stringValue ?? "")
                .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            if !parsed.bool("no-trunc"), description.count > 45 { description = description.prefix(44) + "…" }
            let official = result["is_official"] == .bool(true) ? "[OK]" : ""
            table.append([result["name"]?.stringValue ?? "", description,
                          String(result["star_count"]?.integerValue ?? 0), official])
        }
        context.console.write(table.render())
        return 0
    }

    /// Everything readable from `fd` until end of file.
    private static func readAll(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return bytes }
            bytes += buffer[0..<count]
        }
    }

    /// One line typed on the terminal `fd`, with echo off when `echo` is false.
    private static func readLine(_ fd: Int32, echo: Bool) -> String {
        var saved = termios()
        let hasTerminal = tcgetattr(fd, &saved) == 0
        if hasTerminal, !echo {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSANOW, &quiet)
        }
        defer { if hasTerminal, !echo { tcsetattr(fd, TCSANOW, &saved) } }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != 0x0A { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
