import Dispatch
import Glibc
import SpliceAPI
import SpliceEngine
import SystemKit

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

    /// Opens the graph, creates the default network, reconciles containers and starts serving.
    public static func start(_ options: DaemonOptions) async throws -> Daemon {
        try AtomicFile.makeDirectories(options.graph)
        let initPath = options.initPath ?? Self.defaultInitPath()
        guard access(initPath, X_OK) == 0 else { throw DaemonError("splice-init not found at \(initPath)") }
        let network = try NetworkService(stateDirectory: options.graph + "/network")
        try await network.ensureDefaultNetwork(bridge: options.bridge, bridgeAddress: options.bridgeAddress,
                                               firewall: options.firewall)
        let engine = try await ContainerEngine(configuration: EngineConfiguration(graph: options.graph,
                                                                                  initPath: initPath),
                                               network: network)
        var configuration = APIServerConfiguration(socketPath: options.socketPath, tcpAddress: options.tcpAddress)
        configuration.serverVersion = "0.1.0"
        let server = try await APIServer.start(engine: SpliceDockerEngine(engine: engine, debug: options.debug),
                                               configuration: configuration)
        if let pidFile = options.pidFile {
            try AtomicFile.write(Array("\(getpid())\n".utf8), to: pidFile, mode: 0o644)
        }
        return Daemon(options: options, engine: engine, server: server)
    }

    /// Stops serving and removes the pid file; containers keep running.
    public func shutdown() async throws {
        try await server.shutdown()
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
