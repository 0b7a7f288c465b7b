import DockerModels
import JSONKit

extension SpliceCLI {
    /// `splice build [-t NAME]... [-f FILE] [--build-arg K=V]... [--target S] [--no-cache] [-q] [--label K=V]...
    /// [--network MODE] PATH|URL`: sends the context tar (without what `.dockerignore` excludes) to `POST /build`
    /// and prints the steps; a failed step exits with its code. A URL (a tar, a Dockerfile, a Git repository) is
    /// passed on as `remote=` for the daemon to fetch, as docker-py does.
    static func build(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "build", flags: [
            .init("tag", "t", value: true), .init("file", "f", value: true), .init("build-arg", value: true),
            .init("target", value: true), .init("no-cache"), .init("quiet", "q"), .init("label", value: true),
            .init("network", value: true), .init("rm"), .init("force-rm"), .init("pull"),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...1, usage: "[OPTIONS] PATH | URL")
        let directory = parsed.positionals[0]
        var dockerfile = parsed.value("file") ?? "Dockerfile"
        if dockerfile.hasPrefix(directory + "/") { dockerfile = String(dockerfile.dropFirst(directory.count + 1)) }
        var query: [(String, String)] = [("dockerfile", dockerfile)]
        for tag in parsed.all("tag") { query.append(("t", tag)) }
        var buildArgs: [JSONValue.Member] = []
        for argument in parsed.all("build-arg") {
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2 {
                buildArgs.append(.init(parts[0], .string(parts[1])))
            } else {
                buildArgs.append(.init(parts[0], context.environment[parts[0]].map { .string($0) } ?? .null))
            }
        }
        if !buildArgs.isEmpty { query.append(("buildargs", JSONValue.object(buildArgs).compactText)) }
        var labels: [JSONValue.Member] = []
        for label in parsed.all("label") {
            let parts = label.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            labels.append(.init(parts[0], .string(parts.count == 2 ? parts[1] : "")))
        }
        if !labels.isEmpty { query.append(("labels", JSONValue.object(labels).compactText)) }
        if let target = parsed.value("target") { query.append(("target", target)) }
        if parsed.bool("no-cache") { query.append(("nocache", "1")) }
        if parsed.bool("quiet") { query.append(("q", "1")) }
        if parsed.bool("force-rm") { query.append(("forcerm", "1")) }
        if !parsed.defaultOn("rm") { query.append(("rm", "0")) }
        if let network = parsed.value("network") { query.append(("networkmode", network)) }
        if ["http://", "https://", "git://", "github.com/", "git@"].contains(where: { directory.hasPrefix($0) }) {
            let response = try context.client.checked(method: "POST", path: "/build",
                                                      query: query + [("remote", directory)])
            return try printBuild(response, context)
        }
        let archive = try ContextArchive(directory: directory, dockerfile: dockerfile)
        if !parsed.bool("quiet") {
            let size = HumanUnits.size(archive.size, digits: 4)
            context.console.write("Sending build context to Docker daemon  \(size)\n")
        }
        let response = try context.client.upload("POST", "/build", query: query, contentType: "application/x-tar",
                                                  next: archive.pieces())
        return try printBuild(response, context)
    }

    /// Prints a build's stream; returns 0, or the failed step's code (1 when it has none) after printing the error.
    static func printBuild(_ response: HTTPResponse, _ context: CommandContext) throws(ClientError) -> Int32 {
        var pending: [UInt8] = []
        var status: Int32 = 0
        func handle(_ line: ArraySlice<UInt8>) throws(ClientError) {
            guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) else { return }
            let message = try JSONValue.parse(Array(line))
            if let error = message["error"]?.stringValue {
                context.console.err(error)
                status = message["errorDetail"]?["code"]?.integerValue.map(Int32.init) ?? 1
            } else if let stream = message["stream"]?.stringValue {
                context.console.write(stream)
            }
        }
        while let piece = try response.nextChunk() {
            pending += piece
            while let newline = pending.firstIndex(of: 0x0A) {
                try handle(pending[..<newline])
                pending.removeFirst(newline + 1)
            }
        }
        if !pending.isEmpty { try handle(pending[...]) }
        return status
    }
}
