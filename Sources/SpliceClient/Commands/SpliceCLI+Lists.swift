import DockerModels
import FoundationEssentials

extension SpliceCLI {
    static func ps(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "ps", flags: [
            .init("all", "a"), .init("quiet", "q"), .init("no-trunc"), .init("last", "n", value: true),
            .init("latest", "l"), .init("filter", "f", value: true), .init("size", "s"), .init("format", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        var query: [(String, String)] = []
        let last = try scanner.integer(parsed, "last")
        if parsed.bool("all") || (last ?? -1) > 0 || parsed.bool("latest") { query.append(("all", "1")) }
        if parsed.bool("latest") { query.append(("limit", "1")) } else if let last, last > 0 {
            query.append(("limit", String(last)))
        }
        if parsed.bool("size") { query.append(("size", "1")) }
        if let filters = try filtersJSON(parsed.all("filter")) { query.append(("filters", filters)) }
        let containers = try context.client.decode([ContainerSummary].self, "GET", "/containers/json", query: query)
        let truncate = !parsed.bool("no-trunc")
        if let format = parsed.value("format"), !parsed.bool("quiet"), format != "table" {
            let rows = containers.map { ContainerTable.row($0, now: context.now(), truncate: truncate) }
            context.console.write(try TemplateTable(format).render(rows, header: ContainerTable.header))
            return 0
        }
        context.console.write(ContainerTable.render(containers, now: context.now(), quiet: parsed.bool("quiet"),
                                                    truncate: truncate))
        return 0
    }

    static func images(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "images", flags: [
            .init("all", "a"), .init("quiet", "q"), .init("no-trunc"), .init("filter", "f", value: true),
            .init("format", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...1, usage: "[OPTIONS] [REPOSITORY[:TAG]]")
        var query: [(String, String)] = []
        if parsed.bool("all") { query.append(("all", "1")) }
        var filters = parsed.all("filter")
        if let repository = parsed.positionals.first { filters.append("reference=\(repository)") }
        for filter in filters where filter.hasPrefix("dangling=") {
            let value = filter.dropFirst("dangling=".count).lowercased()
            guard ["true", "false", "1", "0"].contains(value) else {
                throw .daemon(status: 400, message: "invalid filter 'dangling=\(value)'")
            }
        }
        if let json = try filtersJSON(filters) { query.append(("filters", json)) }
        let images = try context.client.decode([ImageSummary].self, "GET", "/images/json", query: query)
        let truncate = !parsed.bool("no-trunc")
        if let format = parsed.value("format"), !parsed.bool("quiet"), format != "table" {
            let rows = ImageTable.rows(images, now: context.now(), truncate: truncate)
            context.console.write(try TemplateTable(format).render(rows, header: ImageTable.header))
            return 0
        }
        context.console.write(ImageTable.render(images, now: context.now(), quiet: parsed.bool("quiet"),
                                                truncate: truncate))
        return 0
    }
}
