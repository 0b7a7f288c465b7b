import DockerModels
#if canImport(Glibc)
import Glibc
#endif

extension SpliceCLI {
    /// `splice volume create|ls|inspect|rm|prune`.
    static func volume(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let subcommands: [String: Handler] = [
            "create": volumeCreate, "ls": volumeList, "list": volumeList, "inspect": volumeInspect,
            "rm": volumeRemove, "remove": volumeRemove, "prune": volumePrune,
        ]
        guard let name = arguments.first, let handler = subcommands[name] else {
            if let name = arguments.first, !name.hasPrefix("-") {
                throw .usage("splice: unknown command: splice volume \(name)\n\nRun 'splice volume --help' for more "
                    + "information")
            }
            context.console.out("Usage:  splice volume COMMAND\n\nManage volumes\n\nCommands:\n  create      Create a "
                + "volume\n  inspect     Display detailed information on one or more volumes\n  ls          List "
                + "volumes\n  prune       Remove unused local volumes\n  rm          Remove one or more volumes")
            return 0
        }
        return try handler(Array(arguments.dropFirst()), context)
    }

    static func volumeCreate(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "volume create", flags: [
            .init("driver", "d", value: true), .init("label", value: true), .init("opt", "o", value: true),
            .init("name", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...1, usage: "[OPTIONS] [VOLUME]")
        var name = parsed.value("name")
        if let positional = parsed.positionals.first {
            if let name, name != positional {
                throw .client("conflicting options: either specify --name or provide positional arg, not both")
            }
            name = positional
        }
        func pairs(_ flag: String) throws(ClientError) -> [String: String] {
            var map: [String: String] = [:]
            for item in parsed.all(flag) {
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if flag == "opt" && parts.count < 2 {
                    throw scanner.invalid(flag, item, "invalid key value pair format in driver options")
                }
                map[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            return map
        }
        let request = VolumeCreateRequest(Name: name ?? "", Driver: parsed.value("driver") ?? "local",
                                          DriverOpts: try pairs("opt"), Labels: try pairs("label"))
        let volume = try context.client.decode(Volume.self, "POST", "/volumes/create",
                                               body: try DockerClient.encode(request))
        context.console.out(volume.Name)
        return 0
    }

    static func volumeList(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "volume ls", flags: [
            .init("quiet", "q"), .init("filter", "f", value: true), .init("format", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        var query: [(String, String)] = []
        if let filters = try filtersJSON(parsed.all("filter")) { query.append(("filters", filters)) }
        let list = try JSONValue.parse(try context.client.call("GET", "/volumes", query: query))
        guard case .array(let volumes)? = list["Volumes"] else { return 0 }
        let rows = volumes.map(volumeRow).sorted { ($0["Name"]?.stringValue ?? "") < ($1["Name"]?.stringValue ?? "") }
        let format = parsed.bool("quiet") ? "{{.Name}}" : parsed.value("format") ?? "table {{.Driver}}\t{{.Name}}"
        let header = JSONValue.object(["Name": "VOLUME NAME", "Driver": "DRIVER", "Scope": "SCOPE",
                                       "Mountpoint": "MOUNTPOINT", "Labels": "LABELS", "CreatedAt": "CREATED"]
            .map { JSONValue.Member($0.key, .string($0.value)) })
        context.console.write(try TemplateTable(format).render(rows, header: header))
        return 0
    }

    /// The fields `volume ls --format` sees: the volume's, with `Labels` as docker's `k=v,k=v` text.
    static func volumeRow(_ volume: JSONValue) -> JSONValue {
        guard case .object(var members) = volume else { return volume }
        if let index = members.firstIndex(where: { $0.key == "Labels" }) {
            var labels: [String] = []
            if case .object(let pairs) = members[index].value {
                labels = pairs.map { "\($0.key)=\($0.value.stringValue ?? "")" }
            }
            members[index].value = .string(labels.joined(separator: ","))
        }
        return .object(members)
    }

    static func volumeInspect(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "volume inspect", flags: [.init("format", "f", value: true)])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "[OPTIONS] VOLUME [VOLUME...]")
        let template = try parsed.value("format").map { format throws(ClientError) in try GoTemplate(format) }
        return try inspectEach("volumes", parsed.positionals, template: template, context)
    }

    static func volumeRemove(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "volume rm", flags: [.init("force", "f")])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "[OPTIONS] VOLUME [VOLUME...]")
        let query = parsed.bool("force") ? [("force", "1")] : []
        return forEach(parsed.positionals, context) { name throws(ClientError) in
            _ = try context.client.call("DELETE", path("volumes", name), query: query)
            context.console.out(name)
        }
    }

    static func volumePrune(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "volume prune", flags: [
            .init("force", "f"), .init("filter", value: true), .init("all", "a"),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        let warning = "WARNING! This will remove all local volumes not used by at least one container."
        guard parsed.bool("force") || confirm(warning, context) else { return 0 }
        var query: [(String, String)] = []
        if let filters = try filtersJSON(parsed.all("filter")) { query.append(("filters", filters)) }
        let report = try context.client.decode(VolumePruneResponse.self, "POST", "/volumes/prune", query: query)
        printPruneReport("Deleted Volumes:", report.VolumesDeleted ?? [], reclaimed: report.SpaceReclaimed, context)
        return 0
    }

    /// docker's prune report: the deleted items under `title`, a blank line, then the space reclaimed.
    static func printPruneReport(_ title: String, _ deleted: [String], reclaimed: UInt64, _ context: CommandContext) {
        if !deleted.isEmpty {
            context.console.out(title)
            for item in deleted { context.console.out(item) }
            context.console.out("")
        }
        context.console.out("Total reclaimed space: " + HumanUnits.size(Int64(clamping: reclaimed)))
    }

    /// docker's `[y/N]` prompt on stdin; true only for `y` or `Y`.
    static func confirm(_ warning: String, _ context: CommandContext) -> Bool {
        context.console.write(warning + "\nAre you sure you want to continue? [y/N] ")
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(context.stdinFD, &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        let answer = line.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }
        return answer == [UInt8(ascii: "y")] || answer == [UInt8(ascii: "Y")]
    }
}
