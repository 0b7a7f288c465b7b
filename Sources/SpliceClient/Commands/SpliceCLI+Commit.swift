import DockerModels

extension SpliceCLI {
    /// `splice diff CONTAINER`: `A`, `C` or `D` and the path, one change a line.
    static func diff(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "diff", flags: [])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...1, usage: "CONTAINER")
        let changes = try context.client.decode([ContainerChange].self, "GET",
                                                path("containers", parsed.positionals[0], "/changes"))
        for change in changes {
            let letter = change.Kind == 1 ? "A" : change.Kind == 2 ? "D" : "C"
            context.console.out("\(letter) \(change.Path)")
        }
        return 0
    }

    /// `splice commit [-a A] [-m M] [-c CHANGE]... [-p=false] CONTAINER [REPOSITORY[:TAG]]`: prints the image id.
    static func commit(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "commit", flags: [
            .init("author", "a", value: true), .init("message", "m", value: true), .init("change", "c", value: true),
            .init("pause", "p"),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...2, usage: "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]")
        var query: [(String, String)] = [("container", parsed.positionals[0])]
        if parsed.positionals.count == 2 {
            let (repository, tag) = splitReference(parsed.positionals[1])
            query.append(("repo", normalized(repository)))
            query.append(("tag", tag ?? "latest"))
        }
        if let author = parsed.value("author") { query.append(("author", author)) }
        if let message = parsed.value("message") { query.append(("comment", message)) }
        for change in parsed.all("change") { query.append(("changes", change)) }
        if !parsed.defaultOn("pause") { query.append(("pause", "0")) }
        let response = try context.client.decode(IDResponse.self, "POST", "/commit", query: query)
        context.console.out(response.Id)
        return 0
    }
}
