import Glibc
import NetlinkKit
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// What `splice-init` runs for `record`: command, environment, user, mounts, network, security and terminal
    /// settings, from the create request and the image. The container's cgroup (`cgroupProcs`, `cgroupView`) is
    /// the caller's to create and fill in, last before the spawn.
    func runtimeSpec(for record: ContainerRecord, rootfs: RootfsSpec, namespacePath: String?) async throws
        -> ContainerSpec
    {
        let config = record.configuration
        let request = config.request
        let security = try SecurityOptions.parse(request.securityOpt)
        let layers: [String]
        switch rootfs {
        case .overlay(let lower, let upper, _): layers = [upper] + lower
        case .directory(let path): layers = [path]
        }
        let userSpec = config.user == "root" ? "" : config.user
        let groupAdd = request.groupAdd
        let identity = try await BlockingWork.run {
            try UserDatabase.read(layers: layers).resolve(userSpec, groupAdd: groupAdd)
        }
        let links = try linkSettings(for: record)
        var env = ConfigurationBuilder.environment(image: links.env, request: config.env)
        if let home = identity.home, !env.contains(where: { $0.hasPrefix("HOME=") }) { env.append("HOME=" + home) }

        // As dockerd: a container in another's network namespace gets that container's hostname, hosts and
        // resolvers.
        var owner = record
        if request.networkMode.hasPrefix("container:"), let other = records[String(request.networkMode.dropFirst(10))] {
            owner = other
        }
        let extraHosts = owner.configuration.request.extraHosts
        var gateway: String?
        if extraHosts.contains(where: { $0.hasSuffix(CreateValidation.hostGateway) }) { gateway = await hostGateway() }
        var hosts = try extraHosts.map { text throws(EngineError) in
            try CreateValidation.extraHost(text, gateway: gateway)
        }
        hosts += owner.id == record.id ? links.hosts : try linkSettings(for: owner).hosts
        let ownerMode = owner.configuration.request.networkMode
        if !["host", "none"].contains(ownerMode), let namespacePath,
           let address = await Self.containerAddress(namespacePath: namespacePath) {
            hosts.append(HostsEntry(address: address, names: [owner.configuration.hostname]))
        }
        let dns = await resolvConf(for: owner.configuration.request)

        try await Self.createMissingBindSources(config.mounts.filter { $0.kind == .bind }.map(\.source))
        var mounts = config.mounts.map { mount in
            BindMount(source: mount.source, target: mount.destination, readOnly: mount.readOnly,
                      propagation: mount.mode.split(separator: ",").map(String.init)
                          .first(where: BindMount.propagations.keys.contains))
        }
        if config.mounts.isEmpty {  // a record from before mounts were resolved at create time
            mounts = try request.binds.map { text throws(EngineError) in try Self.bindMount(text) }
        }
        for rule in try Self.deviceRules(request.devices) {
            guard let source = rule.hostPath, let target = rule.containerPath else { continue }
            mounts.append(BindMount(source: source, target: target, readOnly: false))
        }
        let consoleSize = request.consoleSize.flatMap { size in
            size.count == 2 ? TerminalSize(rows: UInt16(clamping: size[0]), columns: UInt16(clamping: size[1])) : nil
        }
        var spec = ContainerSpec(
            id: record.id, command: config.argv, rootfs: rootfs, environment: env,
            workingDirectory: config.workingDir, user: "\(identity.uid):\(identity.gid)",
            additionalGroups: identity.additionalGroups, hostname: owner.configuration.hostname, mounts: mounts,
            network: namespacePath.map { .namespace(path: $0) } ?? .host, hosts: hosts, dns: dns,
            capAdd: request.capAdd, capDrop: request.capDrop, privileged: request.privileged,
            noNewPrivileges: security.noNewPrivileges, seccomp: security.seccomp, tty: request.tty,
            openStdin: request.openStdin, stdinOnce: request.stdinOnce, consoleSize: consoleSize)
        spec.compiledSeccomp = CompiledSeccomp.dockerDefault(for: spec.seccomp, capAdd: spec.capAdd,
                                                             capDrop: spec.capDrop, privileged: spec.privileged)
        spec.readonlyRootfs = request.readonlyRootfs
        spec.pidNamespace = try pidNamespace(request.pidMode)
        (spec.ipcNamespace, spec.sharedMemory) = try ipcNamespace(request.ipcMode)
        spec.oomScoreAdjust = request.oomScoreAdjust == 0 ? nil : request.oomScoreAdjust
        spec.hostUTS = request.utsMode == "host"
        spec.privateCgroupNamespace =
            (request.cgroupnsMode.isEmpty ? Self.defaultCgroupnsMode : request.cgroupnsMode) == "private"
        spec.tmpfs = request.tmpfs.sorted { $0.key < $1.key }.map { TmpfsMount(target: $0.key, options: $0.value) }
            + request.mounts.filter { $0.kind == .tmpfs }.map { mount in
                TmpfsMount(target: mount.target, options: mount.tmpfsOptions)
            }
        spec.sysctls = request.sysctls
        spec.shmSize = request.shmSize > 0 ? request.shmSize : nil
        spec.resourceLimits = request.ulimits
        if request.initProcess == true {
            try await validateInit()
            spec.initBinary = containerInit
        }
        spec.logSettings = try CreateValidation.logSettings(request)
        spec.userNamespace = userNamespaceRemap(for: request)?.spec
        spec.awaitAttach = !spec.logSettings.enabled && isAttached(record.id)
        spec.volatileUpper = request.autoRemove && spec.userNamespace == nil
        return spec
    }

    /// The address of `host-gateway`: the daemon's `--host-gateway-ip`, else the default bridge's gateway.
    func hostGateway() async -> String? {
        if let address = configuration.hostGatewayIP { return address }
        guard !configuration.defaultBridgeDisabled, let network else { return nil }
        return await network.gateway(of: network.defaultNetwork)
    }

    /// Creates the host directory of each `-v /host:/ctr` whose source is missing, as dockerd does at start.
    static func createMissingBindSources(_ sources: [String]) async throws {
        guard !sources.isEmpty else { return }
        try await BlockingWork.run {
            for source in sources where access(source, F_OK) != 0 {
                do {
                    try AtomicFile.makeDirectories(source, mode: 0o755)
                } catch {
                    throw EngineError(.invalidArgument, "error while creating mount source path '\(source)': \(error)",
                                      cause: error)
                }
            }
        }
    }

    /// The container's resolvers: the request's, else the daemon's defaults, else the host's resolv.conf (loopback
    /// resolvers dropped, except in host network mode where they are reachable).
    func resolvConf(for request: ContainerCreateOptions) async -> DNSConfig {
        let hostMode = request.networkMode == "host"
        let hostText = (try? await BlockingWork.run {
            String(decoding: (try? FileDescriptor.open("/etc/resolv.conf", O_RDONLY | O_CLOEXEC).readAll()) ?? [],
                   as: UTF8.self)
        }) ?? ""
        let config = Self.resolvConf(request: request, daemonDNS: configuration.dns,
                                     daemonSearch: configuration.dnsSearch, hostResolvConf: hostText,
                                     hostNetwork: hostMode)
        // On a user-defined network the embedded DNS answers (and forwards the rest to `config`'s servers).
        if usesEmbeddedDNS(request) {
            return DNSConfig(nameservers: ["127.0.0.11"], searches: config.searches, options: ["ndots:0"])
        }
        return config
    }

    /// The resolver choice, as a pure function of its inputs.
    static func resolvConf(request: ContainerCreateOptions, daemonDNS: [String], daemonSearch: [String],
                           hostResolvConf: String, hostNetwork: Bool) -> DNSConfig {
        let host = EtcFiles.parseResolvConf(hostResolvConf, dropLoopback: !hostNetwork)
        let servers = !request.dns.isEmpty ? request.dns : !daemonDNS.isEmpty ? daemonDNS : host.nameservers
        let searches = !request.dnsSearch.isEmpty ? request.dnsSearch : !daemonSearch.isEmpty ? daemonSearch
            : host.searches
        let options = !request.dnsOptions.isEmpty ? request.dnsOptions : host.options
        return DNSConfig(nameservers: servers, searches: searches.filter { $0 != "." }, options: options)
    }

    /// The first global IPv4 address in the network namespace at `namespacePath` (the container's bridge address).
    static func containerAddress(namespacePath: String) async -> String? {
        try? await BlockingWork.run { () throws -> String? in
            let namespace = try NetworkNamespace.open(path: namespacePath)
            let socket = try NetlinkSocket.open(in: namespace)
            let addresses = try socket.addresses(family: .inet)
            return addresses.first { $0.scope == 0 }.map { $0.network.address.description }
        } ?? nil
    }
}
