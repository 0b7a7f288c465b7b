import DockerModels

extension SpliceCLI {
    static func rename(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "rename", flags: [])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 2...2, usage: "CONTAINER NEW_NAME")
        let old = Substring(parsed.positionals[0]).trimmingSpaces, new = Substring(parsed.positionals[1]).trimmingSpaces
        guard !old.isEmpty, !new.isEmpty else { throw .client("Neither old nor new names may be empty") }
        do {
            _ = try context.client.call("POST", path("containers", old, "/rename"), query: [("name", new)])
        } catch {
            // docker prints the daemon's error, then its own line.
            context.console.err(error.description)
            throw .client("failed to rename container named \(old)")
        }
        return 0
    }

    static func update(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "update", flags: [
            .init("blkio-weight", value: true), .init("cpu-period", value: true), .init("cpu-quota", value: true),
            .init("cpu-shares", "c", value: true), .init("cpus", value: true), .init("cpuset-cpus", value: true),
            .init("cpuset-mems", value: true), .init("memory", "m", value: true),
            .init("memory-reservation", value: true), .init("memory-swap", value: true),
            .init("pids-limit", value: true), .init("restart", value: true), .init("kernel-memory", value: true),
            .init("cpu-rt-period", value: true), .init("cpu-rt-runtime", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "[OPTIONS] CONTAINER [CONTAINER...]")
        func value<T>(_ name: String, _ check: (String) throws(DockerOpts.Failure) -> T) throws(ClientError) -> T? {
            guard let text = parsed.value(name) else { return nil }
            do { return try check(text) } catch { throw scanner.invalid(name, text, error.reason) }
        }
        guard !parsed.values.isEmpty else {
            throw .client("you must provide one or more flags when using this command")
        }
        var request = ContainerUpdateRequest(
            CpuShares: try value("cpu-shares", DockerOpts.int64) ?? 0,
            Memory: try value("memory", DockerOpts.ramInBytes) ?? 0,
            MemorySwap: try value("memory-swap") { text throws(DockerOpts.Failure) in
                text == "-1" ? -1 : try DockerOpts.ramInBytes(text)
            } ?? 0,
            MemoryReservation: try value("memory-reservation", DockerOpts.ramInBytes) ?? 0,
            CpusetCpus: parsed.value("cpuset-cpus") ?? "", CpusetMems: parsed.value("cpuset-mems") ?? "",
            PidsLimit: try value("pids-limit", DockerOpts.int64),
            NanoCpus: try value("cpus", Self.nanoCPUs) ?? 0, CpuQuota: try value("cpu-quota", DockerOpts.int64) ?? 0,
            CpuPeriod: try value("cpu-period", DockerOpts.int64) ?? 0,
            BlkioWeight: try value("blkio-weight", DockerOpts.uint16).map { UInt16(clamping: $0) } ?? 0,
            RestartPolicy: .init(Name: "", MaximumRetryCount: 0))
        request.KernelMemory = try value("kernel-memory", DockerOpts.ramInBytes) ?? 0
        request.CpuRealtimePeriod = try value("cpu-rt-period", DockerOpts.int64) ?? 0
        request.CpuRealtimeRuntime = try value("cpu-rt-runtime", DockerOpts.int64) ?? 0
        if let restart = try value("restart", DockerOpts.restartPolicy) {
            request.RestartPolicy = .init(Name: restart.name, MaximumRetryCount: restart.retries)
        }
        let body = try DockerClient.encode(request)
        var failures: [String] = [], warnings: [String] = []
        for name in parsed.positionals {
            do {
                let answer = try context.client.decode(ContainerUpdateResponse.self, "POST",
                                                       path("containers", name, "/update"), body: body)
                warnings += answer.Warnings ?? []
                context.console.out(name)
            } catch {
                failures.append(error.description)
            }
        }
        // As the docker CLI: the warnings on stdout, after the names.
        if !warnings.isEmpty { context.console.out(warnings.joined(separator: "\n")) }
        for failure in failures { context.console.err(failure) }
        return failures.isEmpty ? 0 : 1
    }

    /// `--cpus 0.5` → 500000000 (docker's `NanoCPUs` flag).
    static func nanoCPUs(_ text: String) throws(DockerOpts.Failure) -> Int64 {
        guard let value = Double(text), value >= 0, value * 1e9 < Double(Int64.max) else {
            throw DockerOpts.Failure("failed to parse \(text) as a rational number")
        }
        return Int64((value * 1e9).rounded())
    }

    /// `splice container prune` (the only `container` subcommand beyond the top-level ones).
    static func container(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        guard let name = arguments.first else {
            context.console.out("Usage:  splice container COMMAND\n\nCommands:\n"
                + "  prune       Remove all stopped containers\n\n"
                + "Any top-level container command also works as `splice container COMMAND`.")
            return 0
        }
        let rest = Array(arguments.dropFirst())
        if name == "prune" { return try containerPrune(rest, context) }
        let aliases = ["ls": "ps", "list": "ps", "remove": "rm"]
        let target = aliases[name] ?? name
        guard let handler = commands[target], !["volume", "container", "system"].contains(target) else {
            throw .usage("splice: unknown command: splice container \(name)")
        }
        return try handler(rest, context)
    }

    static func containerPrune(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "container prune", flags: [
            .init("force", "f"), .init("filter", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        guard parsed.bool("force") || confirm("WARNING! This will remove all stopped containers.", context) else {
            return 0
        }
        var query: [(String, String)] = []
        if let filters = try filtersJSON(parsed.all("filter")) { query.append(("filters", filters)) }
        let report = try context.client.decode(ContainerPruneResponse.self, "POST", "/containers/prune", query: query)
        printPruneReport("Deleted Containers:", report.ContainersDeleted ?? [], reclaimed: report.SpaceReclaimed,
                         context)
        return 0
    }
}
