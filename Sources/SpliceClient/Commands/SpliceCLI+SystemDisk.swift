import DockerModels

extension SpliceCLI {
    /// `splice system df [-v] [--format T]` (the only `system` subcommand beyond `info`).
    static func system(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        switch arguments.first {
        case "df": return try systemDiskUsage(Array(arguments.dropFirst()), context)
        case "info": return try info(Array(arguments.dropFirst()), context)
        case "events": return try events(Array(arguments.dropFirst()), context)
        case "prune": return try systemPrune(Array(arguments.dropFirst()), context)
        case let name?: throw .usage("splice: unknown command: splice system \(name)")
        case nil:
            context.console.out("Usage:  splice system COMMAND\n\nCommands:\n  df          Show docker disk usage\n"
                + "  events      Get real time events from the server\n  info        Display system-wide information\n"
                + "  prune       Remove unused data")
            return 0
        }
    }

    static func systemDiskUsage(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "system df", flags: [
            .init("verbose", "v"), .init("format", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        let usage = try context.client.decode(DiskUsage.self, "GET", "/system/df")
        if let format = parsed.value("format") {
            context.console.out(try GoTemplate(format).render(try JSONValue.parse(DockerClient.encode(usage))))
            return 0
        }
        context.console.write(parsed.bool("verbose") ? DiskUsageTable.renderVerbose(usage, now: context.now())
            : DiskUsageTable.render(usage))
        return 0
    }
}
