import Dispatch
import Glibc
import Logging
import SpliceAPI
import SpliceCluster
import NetlinkKit
import SpliceEngine
import SpliceNet
import SystemKit
import struct EngineErrors.EngineError

/// `spliced`: the engine (with its default bridge network) behind the API server, until SIGTERM or SIGINT.
/// Containers keep running when it stops.
public final class Daemon: Sendable {
    /// The options it was started with.
    public let options: DaemonOptions
    /// The engine.
    public let engine: ContainerEngine
    private let server: APIServer

    private init(options: DaemonOptions, engine: ContainerEngine, server: APIServer) {
        self.options = options
        self.engine = engine
        self.server = server
    }

    /// Checks the pid file, the TLS files and the socket group, opens the graph, creates (or recreates) the
    /// default network, reconciles containers and starts serving. `warn` receives Docker-style warnings.
    public static func start(_ options: DaemonOptions,
                             warn: @Sendable (String) -> Void = { Daemon.printWarning($0) }) async throws -> Daemon {
        let logger = Logger(label: "spliced") { _ in DaemonLogHandler(level: options.logLevel) }
        if let pidFile = options.pidFile { try checkPIDFile(pidFile) }
        let tls = options.tls && !options.tcpAddresses.isEmpty ? Self.tlsSettings(options) : nil
        if let tls {
            do { try tls.validate() } catch { throw DaemonError("TLS: \(error)") }
        }
        let group = try socketGroup(options, warn: warn)
        try AtomicFile.makeDirectories(options.graph)
        let initPath = options.initPath ?? Self.defaultInitPath()
        guard access(initPath, X_OK) == 0 else { throw DaemonError("splice-init not found at \(initPath)") }
        if options.cgroupFavorDynmods { favorCgroupMigrations(logger: logger) }
        // A bad --cluster-advertise fails the start before anything is made.
        let advertise = try options.clusterAdvertise.map { text throws(DaemonError) in
            let socket: NetlinkSocket
            do { socket = try NetlinkSocket() } catch { throw DaemonError("netlink: \(error)") }
            return try ClusterAdvertise.resolve(text, socket: socket)
        }
        let hostIP = options.defaultHostIP == "0.0.0.0" ? nil : IPAddress(options.defaultHostIP)
        let network = try NetworkService(stateDirectory: options.graph + "/network", defaultHostIP: hostIP)
        if !options.bridgeDisabled { try await network.ensureDefaultNetwork(try bridgeOptions(options)) }
        var engineSettings = engineConfiguration(options, initPath: initPath, logger: logger)
        if let setting = options.usernsRemap {
            do {
                var remap = try await BlockingWork.run { try UserNamespaceRemap.resolve(setting) }
                let graph = options.graph
                remap.idmappedLayers = try await BlockingWork.run {
                    UserNamespaceRemap.probeIdmappedLayers(initPath: initPath, graph: graph)
                }
                engineSettings.userNamespaceRemap = remap
                logger.info("User namespaces: ID ranges will be mapped to subuid/subgid ranges of: \(remap.user)",
                            metadata: ["layers": "\(remap.idmappedLayers ? "idmapped mounts" : "shifted copies")"])
            } catch let error as EngineError {
                throw DaemonError(error.message)
            }
        }
        let engine = try await ContainerEngine(configuration: engineSettings, network: network)
        let cluster = try await startCluster(options, advertise: advertise, network: network, engine: engine,
                                             logger: logger)
        await engine.restoreResolvers()
        var configuration = APIServerConfiguration(socketPaths: options.socketPaths,
                                                   tcpAddresses: options.tcpAddresses, socketGroup: group, tls: tls)
        configuration.serverVersion = "0.1.0"
        configuration.logger = logger
        var settings = DaemonInfoSettings()
        settings.rootDirectory = options.graph
        settings.storageDriver = options.storageDriver
        settings.userNamespaces = engineSettings.userNamespaceRemap != nil
        settings.registryMirrors = options.registryMirrors
        settings.insecureRegistries = options.insecureRegistries
        SpliceDockerEngine.probeHost(into: &settings)
        let api = SpliceDockerEngine(engine: engine, debug: options.debug, settings: settings, cluster: cluster)
        let server = try await APIServer.start(engine: api, configuration: configuration)
        if let pidFile = options.pidFile {
            try AtomicFile.write(Array("\(getpid())\n".utf8), to: pidFile, mode: 0o644)
        }
        for path in options.socketPaths { logger.info("API listen on \(path)") }
        for address in options.tcpAddresses { logger.info("API listen on \(address)") }
        logger.info("Daemon has completed initialization", metadata: ["graph": "\(options.graph)"])
        return Daemon(options: options, engine: engine, server: server)
    }

    /// With `--cluster-store`: starts this host's cluster agent on the resolved `--cluster-advertise`. An
    /// unreachable store is not fatal here: the agent keeps trying, and overlay operations answer with the
    /// store's error until it answers.
    static func startCluster(_ options: DaemonOptions, advertise: ClusterAdvertise?, network: NetworkService,
                             engine: ContainerEngine, logger: Logger) async throws -> ClusterAgent?
    {
        guard let storeText = options.clusterStore, let advertise else { return nil }
        let endpoints: EtcdEndpoints
        do { endpoints = try EtcdEndpoints(parsing: storeText) } catch { throw DaemonError(error.description) }
        let store = ClusterStore(client: EtcdClient(endpoints: endpoints),
                                 hostName: clusterHostName(advertise: advertise))
        let agent = ClusterAgent(store: store, advertise: advertise, ttl: options.clusterLeaseTTL, network: network,
                                 engine: engine, logger: logger)
        network.setGlobalDirectory(agent)
        await agent.start()
        logger.info("cluster store \(endpoints)", metadata: ["advertise": "\(advertise.address)",
                                                           "interface": "\(advertise.interfaceName)",
                                                           "mtu": "\(advertise.mtu)"])
        return agent
    }

    /// This host's name in the cluster: its hostname and tunnel endpoint (hosts simulated in namespaces of one
    /// machine share a hostname, never an advertised address).
    static func clusterHostName(advertise: ClusterAdvertise) -> String {
        let name = ContainerEngine.hostHostname()
        return (name.isEmpty ? "host" : name) + "-" + advertise.address.description
    }

    /// The engine's configuration: graph, `splice-init`, and the containers' default `--dns`/`--dns-search`.
    static func engineConfiguration(
        _ options: DaemonOptions, initPath: String,
        logger: Logger = Logger(label: "spliced", factory: { _ in SwiftLogNoOpLogHandler() })
    ) -> EngineConfiguration {
        var configuration = EngineConfiguration(graph: options.graph, initPath: initPath)
        configuration.logger = logger
        configuration.dns = options.dns
        configuration.dnsSearch = options.dnsSearch
        configuration.defaultBridgeDisabled = options.bridgeDisabled
        configuration.hostGatewayIP = options.hostGatewayIP
        configuration.containerInitPath = options.containerInitPath
        return configuration
    }

    /// The TLS settings of the TCP listeners (`--tlsverify` adds the CA and client verification).
    static func tlsSettings(_ options: DaemonOptions) -> APIServerTLS {
        APIServerTLS(certificatePath: options.tlsCert, keyPath: options.tlsKey,
                     caPath: options.tlsVerify ? options.tlsCACert : nil, verifyClients: options.tlsVerify)
    }

    /// The default network as the options describe it.
    static func bridgeOptions(_ options: DaemonOptions) throws(DaemonError) -> BridgeNetworkOptions {
        let address = options.bridgeAddress ?? (options.bridge == nil ? "172.18.0.1/16" : nil)
        let bridgeAddress = try address.map { text throws(DaemonError) in
            guard let network = IPNetwork(text) else { throw DaemonError("--bip \(text): not an address/prefix") }
            return network
        }
        let range = try options.fixedCIDR.map { text throws(DaemonError) in
            guard let network = IPNetwork(text) else { throw DaemonError("--fixed-cidr \(text): not a network") }
            return network
        }
        var bridge = BridgeNetworkOptions(bridge: options.bridge, bridgeAddress: bridgeAddress, ipRange: range,
                                          mtu: options.mtu ?? 1500, interContainer: options.interContainer,
                                          ipMasquerade: options.ipMasquerade, ipForward: options.ipForward,
                                          firewall: options.firewall)
        if options.ipv6, let text = options.fixedCIDRv6, let subnet = IPNetwork(text) {
            bridge.ipv6 = IPv6NetworkOptions(subnet: subnet, gateway: NetworkCreatePlan.hostAddress(subnet, number: 1))
        }
        return bridge
    }

    /// Refuses to start when the pid file names a live process, as dockerd does.
    static func checkPIDFile(_ path: String) throws(DaemonError) {
        guard let bytes = try? AtomicFile.read(path) else { return }
        let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
        guard let pid = Int32(text), pid > 0 else { return }
        if access("/proc/\(pid)", F_OK) == 0 {
            throw DaemonError("pid file found, ensure docker is not running or delete \(path)")
        }
    }

    /// The unix sockets' group: `-G` must exist when given; the default `splice` falls back to root's group
    /// (mode 0660) with a warning, as dockerd does with `docker`.
    static func socketGroup(_ options: DaemonOptions, warn: (String) -> Void) throws(DaemonError)
        -> APIServerConfiguration.SocketGroup?
    {
        guard !options.socketGroup.isEmpty, !options.socketPaths.isEmpty else { return nil }
        if getgrnam(options.socketGroup) != nil { return .name(options.socketGroup) }
        if options.socketGroupExplicit {
            throw DaemonError("can't create unix socket \(options.socketPath): group \(options.socketGroup) not found")
        }
        warn("could not change group \(options.socketPath) to \(options.socketGroup): group \(options.socketGroup)"
            + " not found")
        return nil
    }

    /// Writes a warning to standard error as dockerd's log line does (before the options' level is known).
    public static func printWarning(_ text: String) {
        writeStandardError(DaemonLogHandler.line(level: .warning, message: text, fields: [:],
                                                 time: DaemonLogHandler.now()))
    }

    /// Writes `text` to standard error (fd 2), unbuffered.
    public static func writeStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Stops serving and removes the pid file; containers keep running.
    public func shutdown() async throws {
        try await server.shutdown()
        // Endpoints of containers that exited are released in the background; finish them before leaving.
        await engine.quiesce()
        if let pidFile = options.pidFile { try? AtomicFile.remove(pidFile) }
    }

    /// Serves until SIGTERM or SIGINT arrives, then shuts down.
    public func runUntilSignalled() async throws {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let queue = DispatchQueue(label: "splice.daemon.signals")
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let sources = [SIGTERM, SIGINT].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        var iterator = stream.makeAsyncIterator()
        _ = await iterator.next()
        for source in sources { source.cancel() }
        try await shutdown()
    }

    /// `$SPLICE_INIT_BIN`, else `splice-init` beside the running executable.
    static func defaultInitPath() -> String {
        if let value = getenv("SPLICE_INIT_BIN") {
            let path = String(cString: value)
            if !path.isEmpty { return path }
        }
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return "/usr/local/bin/splice-init" }
        let executable = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let directory = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        return directory + "/splice-init"
    }
}
