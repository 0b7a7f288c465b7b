import DockerModels
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

extension SpliceCLI {
    /// `splice save [-o FILE] IMAGE...`: the images as one tar (docker-archive and OCI layout) to stdout or `-o`.
    static func save(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "save", flags: [.init("output", "o", value: true)])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "[OPTIONS] IMAGE [IMAGE...]")
        if parsed.value("output") == nil, isatty(1) != 0 {
            throw .client("cowardly refusing to save to a terminal. Use the -o flag or redirect")
        }
        let response = try context.client.checked(method: "GET", path: "/images/get",
                                                  query: parsed.positionals.map { ("names", $0) })
        try download(response, to: parsed.value("output"), context)
        return 0
    }

    /// `splice load [-i FILE] [-q]`: loads a `save` tar from the file or stdin; prints `Loaded image: NAME`.
    static func load(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "load", flags: [.init("input", "i", value: true), .init("quiet", "q")])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        let input = parsed.value("input")
        let fd: Int32 = input.map { open($0, O_RDONLY | O_CLOEXEC) } ?? context.stdinFD
        guard fd >= 0 else { throw .client("open \(input ?? "-"): \(String(cString: strerror(errno)))") }
        defer { if input != nil { close(fd) } }
        if input == nil, isatty(fd) != 0 {
            throw .client("requested load from stdin, but stdin is empty")
        }
        let response = try context.client.upload("POST", "/images/load", query: [("quiet", "1")],
                                                  contentType: "application/x-tar") { () throws(ClientError) in
            try readPiece(fd, what: input ?? "standard input")
        }
        if let error = try printProgress(response, context) {
            context.console.err(error)
            return 1
        }
        return 0
    }

    /// `splice history [-q] [--no-trunc] [-H=false] IMAGE`: the image's steps, newest first, as docker prints them.
    static func history(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "history", flags: [.init("quiet", "q"), .init("no-trunc"),
                                                                  .init("human", "H")])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...1, usage: "[OPTIONS] IMAGE")
        let rows = try context.client.decode([ImageHistoryItem].self, "GET",
                                             path("images", parsed.positionals[0], "/history"))
        let truncate = !parsed.bool("no-trunc")
        func shortID(_ id: String) -> String {
            guard id.hasPrefix("sha256:"), truncate else { return id }
            return String(id.dropFirst(7).prefix(12))
        }
        if parsed.bool("quiet") {
            for row in rows { context.console.out(shortID(row.Id)) }
            return 0
        }
        var table = TableWriter()
        table.append(["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"])
        for row in rows {
            let command = row.CreatedBy.split(separator: "\t", omittingEmptySubsequences: false).joined(separator: " ")
            table.append([shortID(row.Id), HumanUnits.ago(row.Created, now: context.now()),
                       truncate ? ContainerTable.ellipsis(command, 45) : command, HumanUnits.size(row.Size),
                       row.Comment])
        }
        context.console.write(table.render())
        return 0
    }

    /// `splice image COMMAND`: `prune [-a] [-f]`, and the image commands under their `image` names.
    static func image(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        guard let name = arguments.first else {
            context.console.out("Usage:  splice image COMMAND\n\nCommands:\n"
                + "  prune       Remove unused images\n\n"
                + "Also: ls, rm, tag, history, save, load, import, inspect.")
            return 0
        }
        let rest = Array(arguments.dropFirst())
        if name == "prune" { return try imagePrune(rest, context) }
        let aliases = ["ls": "images", "list": "images", "rm": "rmi", "remove": "rmi"]
        let target = aliases[name] ?? name
        guard ["images", "rmi", "tag", "history", "save", "load", "import", "inspect"].contains(target),
              let handler = commands[target] else {
            throw .usage("splice: unknown command: splice image \(name)")
        }
        return try handler(target == "inspect" ? ["--type", "image"] + rest : rest, context)
    }

    /// `splice image prune [-a] [-f]`: dangling images, or with `-a` every image no container uses.
    /// One deleted image as the docker CLI's prune reports list it: `untagged: REF` or `deleted: ID`.
    static func pruneLine(_ item: ImageDeleteResponseItem) -> String {
        item.Untagged.map { "untagged: \($0)" } ?? "deleted: \(item.Deleted ?? "")"
    }

    static func imagePrune(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "image prune", flags: [.init("all", "a"), .init("force", "f"),
                                                                      .init("filter", value: true)])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        let all = parsed.bool("all")
        let warning = all ? "WARNING! This will remove all images without at least one container associated to them."
            : "WARNING! This will remove all dangling images."
        guard parsed.bool("force") || confirm(warning, context) else { return 0 }
        let filters = try filtersJSON(parsed.all("filter") + ["dangling=\(!all)"]) ?? "{}"
        let report = try context.client.decode(ImagePruneResponse.self, "POST", "/images/prune",
                                               query: [("filters", filters)])
        printPruneReport("Deleted Images:", (report.ImagesDeleted ?? []).map(pruneLine),
                         reclaimed: report.SpaceReclaimed, context)
        return 0
    }
}
