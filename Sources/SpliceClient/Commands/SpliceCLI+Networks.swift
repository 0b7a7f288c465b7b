import DockerModels

extension SpliceCLI {
    /// `splice network create|ls|inspect|connect|disconnect|rm|prune`, with docker's flags, columns and messages.
    static func network(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let subcommands: [String: Handler] = [
            "create": networkCreate, "ls": networkList, "list": networkList, "inspect": networkInspect,
            "connect": networkConnect, "disconnect": networkDisconnect, "rm": networkRemove,
            "remove": networkRemove, "prune": networkPrune,
        ]
        guard let name = arguments.first, let handler = subcommands[name] else {
            if let name = arguments.first, !name.hasPrefix("-") {
                throw .usage("splice: unknown command: splice network \(name)\n\nRun 'splice network --help' for"
                    + " more information")
            }
            context.console.out("Usage:  splice network COMMAND\n\nManage networks\n\nCommands:\n  connect     Connect"
                + " a container to a network\n  create      Create a network\n  disconnect  Disconnect a container"
                + " from a network\n  inspect     Display detailed information on one or more networks\n  ls"
                + "          List networks\n  prune       Remove all unused networks\n  rm          Remove one or"
                + " more networks")
            return 0
        }
        return try handler(Array(arguments.dropFirst()), context)
    }

    static func networkCreate(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "network create", flags: [
            .init("driver", "d", value: true), .init("label", value: true), .init("opt", "o", value: true),
            .init("subnet", value: true), .init("ip-range", value: true), .init("gateway", value: true),
            .init("aux-address", value: true), .init("internal"), .init("attachable"), .init("ipv6"),
            .init("ipam-driver", value: true), .init("ipam-opt", value: true), .init("scope", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...1, usage: "[OPTIONS] NETWORK")
        func pairs(_ flag: String) -> [String: String] {
            var map: [String: String] = [:]
            for item in parsed.all(flag) {
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                map[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            return map
        }
        var request = NetworkCreateRequest(Name: parsed.positionals[0])
        request.CheckDuplicate = true
        request.Driver = parsed.value("driver") ?? "bridge"
        var configs: [NetworkResource.IPAMConfig] = []
        // As docker pairs them: each gateway, range and aux address with the subnet of its family (one IPv4 and,
        // with --ipv6, one IPv6 subnet).
        let aux = pairs("aux-address")
        for subnet in parsed.all("subnet") {
            let v6 = subnet.contains(":")
            let ownAux = aux.filter { $0.value.contains(":") == v6 }
            configs.append(.init(Subnet: subnet, IPRange: parsed.all("ip-range").first { $0.contains(":") == v6 },
                                 Gateway: parsed.all("gateway").first { $0.contains(":") == v6 },
                                 AuxiliaryAddresses: ownAux.isEmpty ? nil : ownAux))
        }
        let families = Set(parsed.all("subnet").map { $0.contains(":") })
        if (parsed.all("gateway") + parsed.all("ip-range")).contains(where: { !families.contains($0.contains(":")) }) {
            throw .client("every ip-range or gateway must have a corresponding subnet")
        }
        request.IPAM = .init(Driver: parsed.value("ipam-driver") ?? "default", Options: pairs("ipam-opt"),
                             Config: configs)
        request.Internal = parsed.bool("internal")
        request.Attachable = parsed.bool("attachable")
        request.EnableIPv6 = parsed.bool("ipv6")
        request.Options = pairs("opt")
        request.Labels = pairs("label")
        let created = try context.client.decode(NetworkCreateResponse.self, "POST", "/networks/create",
                                                body: try DockerClient.encode(request))
        if !created.Warning.isEmpty { context.console.err("WARNING: " + created.Warning) }
        context.console.out(created.Id)
        return 0
    }

    static func networkList(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "network ls", flags: [
            .init("quiet", "q"), .init("filter", "f", value: true), .init("format", value: true),
            .init("no-trunc"),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        var query: [(String, String)] = []
        if let filters = try filtersJSON(parsed.all("filter")) { query.append(("filters", filters)) }
        guard case .array(let networks) = try JSONValue.parse(try context.client.call("GET", "/networks", query: query))
        else { return 0 }
        let truncate = !parsed.bool("no-trunc")
        let rows = networks.map { networkRow($0, truncate: truncate) }
            .sorted { ($0["Name"]?.stringValue ?? "") < ($1["Name"]?.stringValue ?? "") }
        let format = parsed.bool("quiet") ? "{{.ID}}"
            : parsed.value("format") ?? "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}"
        let header = JSONValue.object(["ID": "NETWORK ID", "Name": "NAME", "Driver": "DRIVER", "Scope": "SCOPE",
                                       "IPv6": "IPV6", "Internal": "INTERNAL", "Labels": "LABELS",
                                       "CreatedAt": "CREATED AT"]
            .map { JSONValue.Member($0.key, .string($0.value)) })
        context.console.write(try TemplateTable(format).render(rows, header: header))
        return 0
    }

    /// The fields `network ls --format` sees: `ID` (12 hex unless `--no-trunc`), `Name`, `Driver`, `Scope`,
    /// `IPv6`, `Internal`, `Labels` as `k=v,k=v`, `CreatedAt`.
    static func networkRow(_ network: JSONValue, truncate: Bool) -> JSONValue {
        let id = network["Id"]?.stringValue ?? ""
        var labels: [String] = []
        if case .object(let pairs)? = network["Labels"] {
            labels = pairs.map { "\($0.key)=\($0.value.stringValue ?? "")" }
        }
        func flag(_ key: String) -> String { network[key] == .bool(true) ? "true" : "false" }
        return .object([
            .init("ID", .string(truncate ? String(id.prefix(12)) : id)),
            .init("Name", network["Name"] ?? .string("")), .init("Driver", network["Driver"] ?? .string("")),
            .init("Scope", network["Scope"] ?? .string("")), .init("IPv6", .string(flag("EnableIPv6"))),
            .init("Internal", .string(flag("Internal"))), .init("Labels", .string(labels.joined(separator: ","))),
            .init("CreatedAt", network["Created"] ?? .string("")),
        ])
    }

    static func networkInspect(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "network inspect", flags: [
            .init("format", "f", value: true), .init("verbose", "v"),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "[OPTIONS] NETWORK [NETWORK...]")
        let template = try parsed.value("format").map { format throws(ClientError) in try GoTemplate(format) }
        return try inspectEach("networks", parsed.positionals, template: template, context)
    }

    static func networkConnect(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "network connect", flags: [
            .init("alias", value: true), .init("ip", value: true), .init("ip6", value: true),
            .init("link", value: true), .init("link-local-ip", value: true), .init("driver-opt", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 2...2, usage: "[OPTIONS] NETWORK CONTAINER")
        var endpoint = EndpointSettings()
        endpoint.Aliases = parsed.all("alias")
        endpoint.IPAMConfig = .init(IPv4Address: parsed.value("ip"))
        endpoint.IPAMConfig?.IPv6Address = parsed.value("ip6")
        let request = NetworkConnectRequest(Container: parsed.positionals[1], EndpointConfig: endpoint)
        _ = try context.client.call("POST", path("networks", parsed.positionals[0], "/connect"),
                                    body: try DockerClient.encode(request))
        return 0
    }

    static func networkDisconnect(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "network disconnect", flags: [.init("force", "f")])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 2...2, usage: "[OPTIONS] NETWORK CONTAINER")
        let request = NetworkDisconnectRequest(Container: parsed.positionals[1], Force: parsed.bool("force"))
        _ = try context.client.call("POST", path("networks", parsed.positionals[0], "/disconnect"),
                                    body: try DockerClient.encode(request))
        return 0
    }

    static func networkRemove(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "network rm", flags: [.init("force", "f")])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "NETWORK [NETWORK...]")
        return forEach(parsed.positionals, context) { name throws(ClientError) in
            _ = try context.client.call("DELETE", path("networks", name))
            context.console.out(name)
        }
    }

    static func networkPrune(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "network prune", flags: [
            .init("force", "f"), .init("filter", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        let warning = "WARNING! This will remove all custom networks not used by at least one container."
        guard parsed.bool("force") || confirm(warning, context) else { return 0 }
        var query: [(String, String)] = []
        if let filters = try filtersJSON(parsed.all("filter")) { query.append(("filters", filters)) }
        let report = try context.client.decode(NetworkPruneResponse.self, "POST", "/networks/prune", query: query)
        if let deleted = report.NetworksDeleted, !deleted.isEmpty {
            context.console.out("Deleted Networks:")
            for name in deleted { context.console.out(name) }
            context.console.out("")
        }
        return 0
    }
}
