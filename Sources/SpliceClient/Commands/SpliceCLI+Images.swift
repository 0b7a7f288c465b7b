import DockerModels
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

extension SpliceCLI {
    /// Splits `repo[:tag]`; the tag is nil when absent.
    static func splitReference(_ reference: String) -> (String, String?) {
        let (repository, tag) = ImageTable.split(reference)
        return (repository, tag == "<none>" ? nil : tag)
    }

    /// The CLI's normalized repository (`bb` → `docker.io/library/bb`).
    static func normalized(_ repository: String) -> String {
        let parts = repository.split(separator: "/", maxSplits: 1)
        if parts.count == 2, parts[0].contains(".") || parts[0].contains(":") || parts[0] == "localhost" {
            return repository
        }
        return parts.count == 1 ? "docker.io/library/\(repository)" : "docker.io/\(repository)"
    }

    static func tag(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "tag", flags: [])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 2...2, usage: "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]")
        let (repository, tag) = splitReference(parsed.positionals[1])
        _ = try context.client.call("POST", path("images", parsed.positionals[0], "/tag"),
                                    query: [("repo", normalized(repository)), ("tag", tag ?? "latest")])
        return 0
    }

    static func rmi(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "rmi", flags: [.init("force", "f"), .init("no-prune")])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "[OPTIONS] IMAGE [IMAGE...]")
        var query: [(String, String)] = []
        if parsed.bool("force") { query.append(("force", "1")) }
        if parsed.bool("no-prune") { query.append(("noprune", "1")) }
        return forEach(parsed.positionals, context) { name throws(ClientError) in
            let items = try context.client.decode([ImageDeleteResponseItem].self, "DELETE", path("images", name), query: query)
            for item in items {
                if let untagged = item.Untagged { context.console.out("Untagged: \(untagged)") }
                if let deleted = item.Deleted { context.console.out("Deleted: \(deleted)") }
            }
        }
    }

    static func importImage(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "import", flags: [
            .init("change", "c", value: true), .init("message", "m", value: true), .init("platform", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...2, usage: "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]")
        let source = parsed.positionals[0]
        let isURL = source.hasPrefix("http://") || source.hasPrefix("https://")
        var query: [(String, String)] = [("fromSrc", isURL ? source : "-")]
        if parsed.positionals.count == 2 { query.append(("repo", parsed.positionals[1])) }
        if let message = parsed.value("message") { query.append(("message", message)) }
        for change in parsed.all("change") { query.append(("changes", change)) }
        if isURL {
            // As the docker CLI: the daemon downloads the tar itself.
            let response = try context.client.checked(method: "POST", path: "/images/create", query: query)
            if let error = try printProgress(response, context) {
                context.console.err(error)
                return 1
            }
            return 0
        }
        let fd: Int32 = source == "-" ? 0 : open(source, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .client("open \(source): no such file or directory") }
        defer { if fd != 0 { close(fd) } }
        let response = try context.client.upload("POST", "/images/create", query: query, contentType: "text/plain") {
            () throws(ClientError) -> [UInt8]? in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw .client("read \(source): error \(errno)") }
                return count == 0 ? nil : Array(buffer[0..<count])
            }
        }
        if let error = try printProgress(response, context) {
            context.console.err(error)
            return 1
        }
        return 0
    }

    /// Prints a JSON-lines progress stream (to stderr with `toStderr`); returns the in-band `error`, if any.
    static func printProgress(_ response: HTTPResponse, _ context: CommandContext, toStderr: Bool = false)
        throws(ClientError) -> String? {
        var pending: [UInt8] = []
        var failure: String?
        func emit(_ text: String) {
            toStderr ? context.console.stderr(Array(text.utf8)) : context.console.write(text)
        }
        func handle(_ line: ArraySlice<UInt8>) throws(ClientError) {
            guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) else { return }
            let message = try JSONValue.parse(Array(line))
            if let error = message["error"]?.stringValue {
                failure = error
            } else if let stream = message["stream"]?.stringValue {
                emit(stream)
            } else if let text = message["status"]?.stringValue {
                let id = message["id"]?.stringValue
                emit((id.map { "\($0): \(text)" } ?? text) + "\n")
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
        return failure
    }

    /// `POST /images/create?fromImage=&tag=` as `docker run` does on a missing image; nil or the error text.
    static func pull(_ reference: String, _ context: CommandContext) throws(ClientError) -> String? {
        let (repository, tag) = pullParameters(reference)
        let response = try context.client.checked(method: "POST", path: "/images/create",
                                                  query: [("fromImage", repository), ("tag", tag ?? "latest")],
                                                  headers: [("X-Registry-Auth", try registryAuth(forImage: repository,
                                                                                                 context))])
        return try displayProgress(response, context, toStderr: true)
    }
}
