import DockerModels

extension SpliceCLI {
    static func version(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "version", flags: [])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        let console = context.console
        let apiVersion = try context.client.apiVersion()
        let server = try context.client.decode(SystemVersion.self, "GET", "/version")
        console.out("Client:")
        console.out(" Version:           0.1.0")
        console.out(" API version:       \(apiVersion)" + (apiVersion == DockerClient.clientVersion ? ""
            : " (downgraded from \(DockerClient.clientVersion))"))
        console.out(" Go version:        swift6.3")
        console.out(" OS/Arch:           linux/\(server.Arch.isEmpty ? "amd64" : server.Arch)")
        console.out(" Context:           default")
        console.out("")
        console.out("Server:" + (server.Platform.map { $0.Name.isEmpty ? "" : " \($0.Name)" } ?? ""))
        console.out(" Engine:")
        console.out("  Version:          \(server.Version)")
        console.out("  API version:      \(server.ApiVersion) (minimum version \(server.MinAPIVersion))")
        console.out("  Go version:       \(server.GoVersion)")
        console.out("  Git commit:       \(server.GitCommit)")
        console.out("  Built:            \(Timestamp.ansic(server.BuildTime) ?? server.BuildTime)")
        console.out("  OS/Arch:          \(server.Os)/\(server.Arch)")
        console.out("  Experimental:     \(server.Experimental ?? false)")
        for component in server.Components ?? [] where component.Name != "Engine" {
            console.out(" \(component.Name):")
            console.out("  Version:          \(component.Version)")
            console.out("  GitCommit:        \(component.Details?["GitCommit"] ?? "")")
        }
        return 0
    }

    static func info(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "info", flags: [.init("format", "f", value: true)])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        let info = try JSONValue.parse(try context.client.call("GET", "/info"))
        if let format = parsed.value("format") {
            context.console.out(try GoTemplate(format).render(info))
            return 0
        }
        func text(_ key: String) -> String {
            switch info[key] {
            case .string(let value)?: return value
            case .number(let value)?: return value
            case .bool(let value)?: return value ? "true" : "false"
            default: return ""
            }
        }
        var lines = ["Client:", " Version:    0.1.0", " Context:    default", " Debug Mode: false", "", "Server:"]
        lines += [" Containers: \(text("Containers"))", "  Running: \(text("ContainersRunning"))",
                  "  Paused: \(text("ContainersPaused"))", "  Stopped: \(text("ContainersStopped"))",
                  " Images: \(text("Images"))", " Server Version: \(text("ServerVersion"))",
                  " Storage Driver: \(text("Driver"))"]
        if case .array(let status)? = info["DriverStatus"] {
            for pair in status {
                if case .array(let kv) = pair, kv.count == 2, let key = kv[0].stringValue, let value = kv[1].stringValue {
                    lines.append("  \(key): \(value)")
                }
            }
        }
        if info["ExecutionDriver"] != nil { lines.append(" Execution Driver: \(text("ExecutionDriver"))") }
        lines += [" Logging Driver: \(text("LoggingDriver"))", " Cgroup Driver: \(text("CgroupDriver"))",
                  " Cgroup Version: \(text("CgroupVersion"))", " Kernel Version: \(text("KernelVersion"))",
                  " Operating System: \(text("OperatingSystem"))", " OSType: \(text("OSType"))",
                  " Architecture: \(text("Architecture"))", " CPUs: \(text("NCPU"))",
                  " Total Memory: \(memory(info["MemTotal"]))", " Name: \(text("Name"))", " ID: \(text("ID"))",
                  " Docker Root Dir: \(text("DockerRootDir"))", " Debug Mode: \(text("Debug").isEmpty ? "false" : text("Debug"))",
                  " Experimental: \(text("ExperimentalBuild").isEmpty ? "false" : text("ExperimentalBuild"))"]
        if case .object(let registry)? = info["RegistryConfig"],
           case .array(let cidrs)? = registry.first(where: { $0.key == "InsecureRegistryCIDRs" })?.value, !cidrs.isEmpty {
            lines.append(" Insecure Registries:")
            lines += cidrs.compactMap { $0.stringValue.map { "  " + $0 } }
        }
        lines.append(" Live Restore Enabled: \(text("LiveRestoreEnabled").isEmpty ? "false" : text("LiveRestoreEnabled"))")
        context.console.write(lines.joined(separator: "\n") + "\n\n")
        return 0
    }

    /// go-units `BytesSize` (binary units, "%.4g"): `23.54GiB`.
    private static func memory(_ value: JSONValue?) -> String {
        guard case .number(let text)? = value, var size = Double(text) else { return "0B" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var unit = 0
        while size >= 1024, unit < units.count - 1 {
            size /= 1024
            unit += 1
        }
        return HumanUnits.significant(size, digits: 4) + units[unit]
    }
}
