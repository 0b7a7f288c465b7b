import DockerModels

extension SpliceCLI {
    /// The flags of `run` and `create` (docker's names and shorthands).
    static let runFlags: [ArgumentScanner.Flag] = [
        .init("detach", "d"), .init("rm"), .init("name", value: true), .init("env", "e", value: true),
        .init("env-file", value: true), .init("workdir", "w", value: true), .init("user", "u", value: true),
        .init("hostname", "h", value: true), .init("publish", "p", value: true), .init("publish-all", "P"),
        .init("net", value: true), .init("network", value: true), .init("volume", "v", value: true),
        .init("ip", value: true), .init("ip6", value: true), .init("network-alias", value: true),
        .init("net-alias", value: true),
        .init("memory", "m", value: true), .init("entrypoint", value: true), .init("expose", value: true),
        .init("interactive", "i"), .init("tty", "t"), .init("attach", "a", value: true),
        .init("detach-keys", value: true), .init("sig-proxy"), .init("cap-add", value: true),
        .init("cap-drop", value: true), .init("privileged"), .init("security-opt", value: true),
        .init("dns", value: true), .init("dns-search", value: true), .init("dns-opt", value: true),
        .init("dns-option", value: true), .init("add-host", value: true), .init("link", value: true),
        .init("volumes-from", value: true), .init("restart", value: true), .init("cpu-shares", "c", value: true),
        .init("cpuset-cpus", value: true), .init("pids-limit", value: true), .init("blkio-weight", value: true),
        .init("device", value: true), .init("group-add", value: true), .init("read-only"),
        .init("label", "l", value: true), .init("label-file", value: true), .init("stop-signal", value: true),
        .init("cidfile", value: true), .init("mac-address", value: true), .init("cpus", value: true),
        .init("cpuset", value: true),
        .init("pid", value: true), .init("uts", value: true), .init("cgroupns", value: true),
        .init("tmpfs", value: true), .init("init"), .init("device-cgroup-rule", value: true),
        .init("memory-swap", value: true), .init("memory-swappiness", value: true), .init("stop-timeout", value: true),
        .init("mount", value: true), .init("log-driver", value: true), .init("log-opt", value: true),
        .init("health-cmd", value: true), .init("health-interval", value: true), .init("health-timeout", value: true),
        .init("health-start-period", value: true), .init("health-start-interval", value: true),
        .init("health-retries", value: true), .init("no-healthcheck"), .init("sysctl", value: true),
        .init("shm-size", value: true), .init("ulimit", value: true), .init("ipc", value: true),
        .init("oom-score-adj", value: true), .init("oom-kill-disable"), .init("device-read-bps", value: true),
        .init("device-write-bps", value: true), .init("device-read-iops", value: true),
        .init("device-write-iops", value: true), .init("kernel-memory", value: true),
        .init("cpu-rt-period", value: true), .init("cpu-rt-runtime", value: true),
        .init("cgroup-parent", value: true), .init("blkio-weight-device", value: true),
    ]

    /// What `createRequest` needs besides the flags.
    public struct CreateInput {
        /// `run` or `create` (for error texts).
        public var command: String = "run"
        /// Whether the container runs detached (`run -d`, or always for `create`).
        public var detach: Bool
        /// Environment for `-e KEY` and env-file lines without a value.
        public var environment: [String: String] = [:]
        /// `[rows, columns]` of the local terminal when `-t` is given and stdout is a terminal.
        public var consoleSize: [Int]?
        /// Reads `--env-file`, `--label-file` and `seccomp=FILE`.
        public var readFile: (String) throws(DockerOpts.Failure) -> [UInt8] = { path throws(DockerOpts.Failure) in
            try DockerOpts.readFile(path)
        }

        /// Creates the input.
        public init(command: String = "run", detach: Bool, environment: [String: String] = [:],
                    consoleSize: [Int]? = nil) {
            self.command = command
            self.detach = detach
            self.environment = environment
            self.consoleSize = consoleSize
        }
    }

    /// docker's wording for errors found after flag parsing: `splice: TEXT\n\nRun 'splice run --help' ...`.
    static func runError(_ command: String, _ text: String) -> ClientError {
        .usage("splice: \(text)\n\nRun 'splice \(command) --help' for more information")
    }

    /// Builds the create body and `name` from `docker run`/`create` flags (without an input: detached `run`).
    public static func createRequest(_ parsed: ArgumentScanner.Parsed, detach: Bool)
        throws(ClientError) -> (ContainerCreateRequest, String?) {
        try createRequest(parsed, CreateInput(detach: detach))
    }

    /// Builds the create body and `name` from `docker run`/`create` flags.
    public static func createRequest(_ parsed: ArgumentScanner.Parsed, _ input: CreateInput)
        throws(ClientError) -> (ContainerCreateRequest, String?) {
        let command = input.command
        let scanner = ArgumentScanner(command: command, flags: runFlags, interspersed: false)
        func validated<T>(_ name: String, _ check: (String) throws(DockerOpts.Failure) -> T)
            throws(ClientError) -> [T] {
            var result: [T] = []
            for value in parsed.all(name) {
                do { result.append(try check(value)) } catch { throw scanner.invalid(name, value, error.reason) }
            }
            return result
        }
        func single<T>(_ name: String, _ check: (String) throws(DockerOpts.Failure) -> T) throws(ClientError) -> T? {
            guard let value = parsed.value(name) else { return nil }
            do { return try check(value) } catch { throw scanner.invalid(name, value, error.reason) }
        }
        func parseLevel<T>(_ body: () throws(DockerOpts.Failure) -> T) throws(ClientError) -> T {
            do { return try body() } catch { throw runError(command, error.reason) }
        }

        // Flag-level validation first (pflag `Set`), in docker's order of appearance is not needed: first error wins.
        let attach = try validated("attach", DockerOpts.attachStream)
        let dns = try validated("dns", DockerOpts.ipAddress)
        let dnsSearch = try validated("dns-search", DockerOpts.dnsSearch)
        let extraHosts = try validated("add-host", DockerOpts.extraHost)
        let links = try validated("link", DockerOpts.link)
        let flagLabels = try validated("label", DockerOpts.label)
        let memory = try single("memory", DockerOpts.ramInBytes)
        let cpuShares = try single("cpu-shares", DockerOpts.int64)
        let pidsLimit = try single("pids-limit", DockerOpts.int64)
        let blkioWeight = try single("blkio-weight", DockerOpts.uint16)
        let nanoCpus = try single("cpus", DockerOpts.nanoCPUs)
        let memorySwap = try single("memory-swap") { (text: String) throws(DockerOpts.Failure) -> Int64 in
            text == "-1" ? -1 : try DockerOpts.ramInBytes(text)
        }
        let swappiness = try single("memory-swappiness", DockerOpts.int64)
        let stopTimeout = try single("stop-timeout", DockerOpts.int64)
        let mounts = try validated("mount", DockerOpts.mount)
        var timings: [String: Int64] = [:]
        for name in ["health-interval", "health-timeout", "health-start-period", "health-start-interval"] {
            timings[name] = try single(name) { (text: String) throws(DockerOpts.Failure) -> Int64 in
                guard let value = GoDuration.nanoseconds(text) else {
                    throw DockerOpts.Failure("time: invalid duration \"\(text)\"")
                }
                return value
            }
        }
        let healthRetries = try single("health-retries", DockerOpts.int64)
        let shmSize = try single("shm-size", DockerOpts.ramInBytes)
        let kernelMemory = try single("kernel-memory", DockerOpts.ramInBytes)
        let realtimePeriod = try single("cpu-rt-period", DockerOpts.int64)
        let realtimeRuntime = try single("cpu-rt-runtime", DockerOpts.int64)
        let oomScoreAdjust = try single("oom-score-adj", DockerOpts.int64)
        var throttles: [String: [ThrottleDevice]] = [:]
        for name in ["device-read-bps", "device-write-bps", "device-read-iops", "device-write-iops"] {
            let bytes = name.hasSuffix("bps")
            throttles[name] = try validated(name) { (text: String) throws(DockerOpts.Failure) -> ThrottleDevice in
                // The docker CLI's checks: PATH:RATE, an absolute path, a size (bps) or a count (iops).
                guard let colon = text.lastIndex(of: ":") else { throw DockerOpts.Failure("bad format: \(text)") }
                let path = String(text[..<colon])
                let rate = String(text[text.index(after: colon)...])
                guard path.hasPrefix("/") else { throw DockerOpts.Failure("bad format for device path: \(text)") }
                if bytes {
                    let value = try DockerOpts.ramInBytes(rate)
                    guard value >= 0 else { throw DockerOpts.Failure("invalid rate for device: \(text)") }
                    return ThrottleDevice(Path: path, Rate: UInt64(value))
                }
                guard let value = UInt64(rate) else { throw DockerOpts.Failure("invalid rate for device: \(text)") }
                return ThrottleDevice(Path: path, Rate: value)
            }
        }
        let weights = try validated("blkio-weight-device") {
            (text: String) throws(DockerOpts.Failure) -> WeightDevice in
            // The docker CLI's checks: PATH:WEIGHT, a path under /dev/, a weight of 10 to 1000 (0: the default).
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { throw DockerOpts.Failure("bad format: \(text)") }
            guard parts[0].hasPrefix("/dev/") else { throw DockerOpts.Failure("bad format for device path: \(text)") }
            guard let weight = UInt16(parts[1]), weight == 0 || (10...1000).contains(weight) else {
                throw DockerOpts.Failure("invalid weight for device: \(text)")
            }
            return WeightDevice(Path: parts[0], Weight: weight)
        }
        let ulimits = try validated("ulimit") { (text: String) throws(DockerOpts.Failure) -> Ulimit in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            let values = parts.count == 2 ? parts[1].split(separator: ":").map { Int64($0) } : []
            guard parts.count == 2, (1...2).contains(values.count), let soft = values[0], let hard = values.last ?? nil
            else { throw DockerOpts.Failure("invalid ulimit argument: \(text)") }
            return Ulimit(Name: parts[0], Soft: soft, Hard: hard)
        }
        let sysctls = try validated("sysctl") { (text: String) throws(DockerOpts.Failure) -> (String, String) in
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw DockerOpts.Failure("sysctl '\(text)' is not allowed") }
            return (parts[0], parts[1])
        }

        guard let image = parsed.positionals.first else {
            throw .usage("\"splice \(command)\" requires at least 1 argument.\nSee 'splice \(command) --help'.\n\n"
                + "Usage:  splice \(command) [OPTIONS] IMAGE [COMMAND] [ARG...]")
        }
        var config = ContainerConfig()
        config.Image = image
        let interactive = parsed.bool("interactive")
        let tty = parsed.bool("tty")
        var attachStdin = attach.contains("stdin") || interactive
        var attachStdout = attach.contains("stdout") || attach.isEmpty
        var attachStderr = attach.contains("stderr") || attach.isEmpty
        var stdinOnce = attachStdin
        if input.detach && command == "run" {
            if !attach.isEmpty { throw runError(command, "Conflicting options: -a and -d") }
            attachStdin = false
            attachStdout = false
            attachStderr = false
            stdinOnce = false
        }
        config.AttachStdin = attachStdin
        config.AttachStdout = attachStdout
        config.AttachStderr = attachStderr
        config.OpenStdin = interactive
        config.StdinOnce = stdinOnce
        config.Tty = tty
        let arguments = Array(parsed.positionals.dropFirst())
        config.Cmd = arguments.isEmpty ? nil : arguments
        let lookup: (String) -> String? = { input.environment[$0] }
        var env: [String] = []
        for file in parsed.all("env-file") {
            env += try parseLevel { () throws(DockerOpts.Failure) in
                try DockerOpts.keyValueLines(String(decoding: try input.readFile(file), as: UTF8.self), file: file,
                                             lookup: lookup)
            }
        }
        for value in parsed.all("env") {
            if value.contains("=") {
                env.append(value)
            } else if let found = lookup(value) {
                env.append(value + "=" + found)
            } else {
                env.append(value)
            }
        }
        config.Env = env.isEmpty ? nil : env
        config.WorkingDir = parsed.value("workdir") ?? ""
        config.User = parsed.value("user") ?? ""
        config.Hostname = parsed.value("hostname") ?? ""
        config.Domainname = ""
        if let entrypoint = parsed.value("entrypoint") { config.Entrypoint = entrypoint.isEmpty ? [""] : [entrypoint] }
        var labels: [String: String] = [:]
        for file in parsed.all("label-file") {
            let lines = try parseLevel { () throws(DockerOpts.Failure) in
                try DockerOpts.keyValueLines(String(decoding: try input.readFile(file), as: UTF8.self), file: file,
                                             lookup: nil)
            }
            for line in lines { labels[keyOf(line)] = valueOf(line) }
        }
        for label in flagLabels { labels[keyOf(label)] = valueOf(label) }
        config.Labels = labels
        if let signal = parsed.value("stop-signal") { config.StopSignal = signal }
        if let stopTimeout { config.StopTimeout = Int(clamping: stopTimeout) }
        config.Healthcheck = try healthcheck(parsed, timings: timings, retries: healthRetries, command: command)
        if let mac = parsed.value("mac-address"), !mac.isEmpty {
            guard DockerOpts.isMACAddress(mac) else { throw runError(command, "\(mac) is not a valid mac address") }
            config.MacAddress = mac
        }

        var host = HostConfig()
        host.AutoRemove = parsed.bool("rm")
        let restart = try parseLevel { () throws(DockerOpts.Failure) in
            try DockerOpts.restartPolicy(parsed.value("restart") ?? "")
        }
        if host.AutoRemove == true, restart.name != "no" {
            throw runError(command, "Conflicting options: --restart and --rm")
        }
        host.RestartPolicy = .init(Name: restart.name, MaximumRetryCount: restart.retries)
        let network = parsed.value("network") ?? parsed.value("net") ?? "default"
        host.NetworkMode = network
        var exposed: [String: EmptyObject] = [:]
        var bindings: [String: [HostConfig.PortBinding]] = [:]
        for spec in parsed.all("publish") {
            for mapping in try parseLevel({ () throws(DockerOpts.Failure) in try DockerOpts.portMappings(spec) }) {
                exposed[mapping.key] = EmptyObject()
                bindings[mapping.key, default: []].append(.init(HostIp: mapping.hostIP, HostPort: mapping.hostPort))
            }
        }
        for spec in parsed.all("expose") {
            for key in try parseLevel({ () throws(DockerOpts.Failure) in try DockerOpts.exposedPorts(spec) }) {
                exposed[key] = EmptyObject()
            }
        }
        config.ExposedPorts = exposed.isEmpty ? nil : exposed
        host.PortBindings = bindings
        host.PublishAllPorts = parsed.bool("publish-all")
        var volumes: [String: EmptyObject] = [:]
        var binds: [String] = []
        for spec in parsed.all("volume") {
            if spec.contains(":") { binds.append(spec) } else { volumes[spec] = EmptyObject() }
        }
        config.Volumes = volumes
        host.Binds = binds.isEmpty ? nil : binds
        host.VolumesFrom = parsed.all("volumes-from").isEmpty ? nil : parsed.all("volumes-from")
        host.Memory = memory ?? 0
        host.CpuShares = cpuShares ?? 0
        host.CpusetCpus = parsed.value("cpuset-cpus") ?? parsed.value("cpuset") ?? ""
        host.NanoCpus = nanoCpus ?? 0
        if let pidsLimit { host.PidsLimit = pidsLimit }
        host.BlkioWeight = blkioWeight ?? 0
        let capabilities = DockerOpts.effectiveCapabilities(add: parsed.all("cap-add"), drop: parsed.all("cap-drop"))
        host.CapAdd = capabilities.add
        host.CapDrop = capabilities.drop
        host.Privileged = parsed.bool("privileged")
        let security = try parseLevel { () throws(DockerOpts.Failure) in
            try DockerOpts.securityOptions(parsed.all("security-opt"), readFile: input.readFile)
        }
        host.SecurityOpt = security.isEmpty ? nil : security
        host.Dns = dns
        host.DnsSearch = dnsSearch
        host.DnsOptions = parsed.all("dns-opt") + parsed.all("dns-option")
        host.ExtraHosts = extraHosts.isEmpty ? nil : extraHosts
        host.Links = links.isEmpty ? nil : links
        host.GroupAdd = parsed.all("group-add").isEmpty ? nil : parsed.all("group-add")
        host.ReadonlyRootfs = parsed.bool("read-only")
        host.PidMode = parsed.value("pid") ?? ""
        host.UTSMode = parsed.value("uts") ?? ""
        if let ipc = parsed.value("ipc") { host.IpcMode = ipc }
        if let oomScoreAdjust { host.OomScoreAdj = Int(clamping: oomScoreAdjust) }
        if parsed.bool("oom-kill-disable") { host.OomKillDisable = true }
        if let kernelMemory { host.KernelMemory = kernelMemory }
        if let realtimePeriod { host.CpuRealtimePeriod = realtimePeriod }
        if let realtimeRuntime { host.CpuRealtimeRuntime = realtimeRuntime }
        host.BlkioDeviceReadBps = throttles["device-read-bps"].flatMap { $0.isEmpty ? nil : $0 }
        host.BlkioDeviceWriteBps = throttles["device-write-bps"].flatMap { $0.isEmpty ? nil : $0 }
        host.BlkioDeviceReadIOps = throttles["device-read-iops"].flatMap { $0.isEmpty ? nil : $0 }
        host.BlkioDeviceWriteIOps = throttles["device-write-iops"].flatMap { $0.isEmpty ? nil : $0 }
        host.CgroupnsMode = parsed.value("cgroupns") ?? ""
        if let parent = parsed.value("cgroup-parent") { host.CgroupParent = parent }
        if !weights.isEmpty { host.BlkioWeightDevice = weights }
        var tmpfs: [String: String] = [:]
        for spec in parsed.all("tmpfs") {
            let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            tmpfs[parts[0]] = parts.count == 2 ? parts[1] : ""
        }
        host.Tmpfs = tmpfs.isEmpty ? nil : tmpfs
        if parsed.bool("init") { host.Init = true }
        let rules = parsed.all("device-cgroup-rule")
        host.DeviceCgroupRules = rules.isEmpty ? nil : rules
        host.MemorySwap = memorySwap ?? 0
        host.MemorySwappiness = swappiness
        host.Mounts = mounts.isEmpty ? nil : mounts
        if !sysctls.isEmpty { host.Sysctls = Dictionary(sysctls, uniquingKeysWith: { $1 }) }
        if let shmSize { host.ShmSize = shmSize }
        if !ulimits.isEmpty { host.Ulimits = ulimits }
        var logOptions: [String: String] = [:]
        for option in parsed.all("log-opt") {
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw scanner.invalid("log-opt", option, "invalid key value pair format") }
            logOptions[parts[0]] = parts[1]
        }
        host.LogConfig = .init(Type: parsed.value("log-driver") ?? "", Config: logOptions)
        var devices: [HostConfig.DeviceMapping] = []
        for spec in parsed.all("device") {
            let device = try parseLevel { () throws(DockerOpts.Failure) in try DockerOpts.device(spec) }
            devices.append(.init(PathOnHost: device.host, PathInContainer: device.container,
                                 CgroupPermissions: device.permissions))
        }
        host.Devices = devices
        host.ContainerIDFile = parsed.value("cidfile") ?? ""
        host.ConsoleSize = tty ? (input.consoleSize ?? [0, 0]) : [0, 0]
        var endpoints: [String: EndpointSettings] = network == "default" ? ["default": EndpointSettings()] : [:]
        let aliases = parsed.all("network-alias") + parsed.all("net-alias")
        if parsed.value("ip") != nil || parsed.value("ip6") != nil || !aliases.isEmpty {
            // As docker sends them: the static addresses and aliases on the --network network.
            var endpoint = EndpointSettings()
            if parsed.value("ip") != nil || parsed.value("ip6") != nil {
                var config = EndpointSettings.EndpointIPAMConfig(IPv4Address: parsed.value("ip"))
                config.IPv6Address = parsed.value("ip6")
                endpoint.IPAMConfig = config
            }
            endpoint.Aliases = aliases.isEmpty ? nil : aliases
            endpoints = [network: endpoint]
        }
        return (ContainerCreateRequest(config: config, hostConfig: host,
                                       networkingConfig: .init(EndpointsConfig: endpoints)), parsed.value("name"))
    }

    /// `Config.Healthcheck` from the `--health-*` flags as the docker CLI makes it: `NONE` for `--no-healthcheck`,
    /// nil when no flag is given (the image's check applies), else the given parts (a missing command is the image's).
    private static func healthcheck(_ parsed: ArgumentScanner.Parsed, timings: [String: Int64], retries: Int64?,
                                    command: String) throws(ClientError) -> HealthConfig? {
        let healthCommand = parsed.value("health-cmd") ?? ""
        let given = !healthCommand.isEmpty || timings.values.contains { $0 != 0 } || (retries ?? 0) != 0
        if parsed.bool("no-healthcheck") {
            if given { throw runError(command, "--no-healthcheck conflicts with --health-* options") }
            var none = HealthConfig()
            none.Test = ["NONE"]
            return none
        }
        guard given else { return nil }
        for name in ["health-interval", "health-timeout", "health-retries", "health-start-period",
                     "health-start-interval"] {
            let value = name == "health-retries" ? retries : timings[name]
            if let value, value < 0 { throw runError(command, "--\(name) cannot be negative") }
        }
        var check = HealthConfig()
        check.Test = healthCommand.isEmpty ? nil : ["CMD-SHELL", healthCommand]
        check.Interval = timings["health-interval"] ?? 0
        check.Timeout = timings["health-timeout"] ?? 0
        check.StartPeriod = timings["health-start-period"] ?? 0
        check.StartInterval = timings["health-start-interval"] ?? 0
        check.Retries = Int(clamping: retries ?? 0)
        return check
    }

    private static func keyOf(_ line: String) -> String {
        String(line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }

    private static func valueOf(_ line: String) -> String {
        let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 ? String(parts[1]) : ""
    }

    /// go-units `RAMInBytes`: `64m` → 67108864.
    public static func ramInBytes(_ text: String) throws(ClientError) -> Int64 {
        do {
            return try DockerOpts.ramInBytes(text)
        } catch {
            throw ArgumentScanner(command: "run", flags: runFlags).invalid("memory", text, error.reason)
        }
    }
}
