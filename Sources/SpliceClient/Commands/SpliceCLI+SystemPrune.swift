import DockerModels

extension SpliceCLI {
    /// `splice system prune [-a] [-f] [--volumes] [--filter F]`: as the docker CLI, stopped containers, unused
    /// networks, (with `--volumes`) unused volumes, dangling (with `-a` unused) images and the build cache, each
    /// list printed, then the total.
    static func systemPrune(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "system prune", flags: [
            .init("all", "a"), .init("force", "f"), .init("volumes"), .init("filter", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        let all = parsed.bool("all"), volumes = parsed.bool("volumes")
        var warning = "WARNING! This will remove:\n  - all stopped containers\n"
            + "  - all networks not used by at least one container\n"
        if volumes { warning += "  - all volumes not used by at least one container\n" }
        warning += all ? "  - all images without at least one container associated to them\n  - all build cache\n"
            : "  - all dangling images\n  - unused build cache\n"
        guard parsed.bool("force") || confirm(warning, context) else { return 0 }
        let filters = parsed.all("filter")
        var reclaimed: UInt64 = 0
        func section(_ title: String, _ items: [String]) {
            guard !items.isEmpty else { return }
            context.console.out(title)
            for item in items { context.console.out(item) }
            context.console.out("")
        }
        let query = try filtersJSON(filters).map { [("filters", $0)] } ?? []
        let containers = try context.client.decode(ContainerPruneResponse.self, "POST", "/containers/prune",
                                                   query: query)
        section("Deleted Containers:", containers.ContainersDeleted ?? [])
        reclaimed += containers.SpaceReclaimed
        let networks = try context.client.decode(NetworkPruneResponse.self, "POST", "/networks/prune", query: query)
        section("Deleted Networks:", networks.NetworksDeleted ?? [])
        if volumes {
            let report = try context.client.decode(VolumePruneResponse.self, "POST", "/volumes/prune", query: query)
            section("Deleted Volumes:", report.VolumesDeleted ?? [])
            reclaimed += report.SpaceReclaimed
        }
        let imageFilters = try filtersJSON(filters + ["dangling=\(!all)"]) ?? "{}"
        let images = try context.client.decode(ImagePruneResponse.self, "POST", "/images/prune",
                                               query: [("filters", imageFilters)])
        section("Deleted Images:", (images.ImagesDeleted ?? []).map(pruneLine))
        reclaimed += images.SpaceReclaimed
        let cache = try context.client.decode(BuildCachePruneResponse.self, "POST", "/build/prune",
                                              query: all ? [("all", "1")] : [])
        section("Deleted build cache objects:", cache.CachesDeleted ?? [])
        reclaimed += cache.SpaceReclaimed
        context.console.out("Total reclaimed space: " + HumanUnits.size(Int64(clamping: reclaimed)))
        return 0
    }

    /// `splice builder prune [-a] [-f]`: the build cache records (all of them with `-a`).
    static func builder(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        guard arguments.first == "prune" else {
            throw .usage("splice: unknown command: splice builder \(arguments.first ?? "")\n\n"
                + "Usage:  splice builder prune [-a] [-f]")
        }
        let scanner = ArgumentScanner(command: "builder prune", flags: [
            .init("all", "a"), .init("force", "f"), .init("filter", value: true),
        ])
        let parsed = try scanner.scan(Array(arguments.dropFirst()))
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        let all = parsed.bool("all")
        let warning = all ? "WARNING! This will remove all build cache."
            : "WARNING! This will remove all dangling build cache."
        guard parsed.bool("force") || confirm(warning, context) else { return 0 }
        let report = try context.client.decode(BuildCachePruneResponse.self, "POST", "/build/prune",
                                               query: all ? [("all", "1")] : [])
        printPruneReport("Deleted build cache objects:", report.CachesDeleted ?? [], reclaimed: report.SpaceReclaimed,
                         context)
        return 0
    }
}
