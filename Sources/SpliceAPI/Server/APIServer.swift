import NIOCore
import NIOPosix
import NIOSSL

/// The Docker Engine API server: HTTP/1.1 on unix sockets and TCP (plain or TLS) in front of a `DockerEngine`.
/// Request handling runs on the server's own threads (`RequestExecutor`), never on the global cooperative pool.
public final class APIServer: Sendable {
    /// A bound listener and what it listens on.
    private struct Listener: Sendable {
        let channel: any Channel
        let isTCP: Bool
    }

    private let listeners: [Listener]
    private let ownsGroup: Bool
    private let group: any EventLoopGroup
    private let responses: ResponseTasks
    /// The configuration the server was started with.
    public let configuration: APIServerConfiguration

    private init(listeners: [Listener], group: any EventLoopGroup, ownsGroup: Bool, responses: ResponseTasks,
                 configuration: APIServerConfiguration) {
        self.listeners = listeners
        self.responses = responses
        self.group = group
        self.ownsGroup = ownsGroup
        self.configuration = configuration
    }

    /// Loads the TLS files (clear errors first), binds the listeners and starts serving; throws `APIServerError`
    /// when a socket path is held by a live server or a TLS file is missing, unreadable or mismatched.
    public static func start(engine: any DockerEngine, configuration: APIServerConfiguration,
                             group: (any EventLoopGroup)? = nil,
                             executor: RequestExecutor = .shared) async throws -> APIServer {
        let sslContext = try configuration.tls.map { tls throws(APIServerError) in try TLSContextLoader.load(tls) }
        let router = Router(engine: engine, serverVersion: configuration.serverVersion, logger: configuration.logger)
        let responses = ResponseTasks(executor: executor)
        let eventLoopGroup = group ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
        func bootstrap(tls: NIOSSLContext?) -> ServerBootstrap {
            ServerBootstrap(group: eventLoopGroup)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                        }
                        try HTTPConnectionHandler.configure(channel, router: router, responses: responses)
                    }
                }
        }
        var listeners: [Listener] = []
        do {
            for path in configuration.socketPaths {
                try SocketFile.removeStale(at: path)
                let unix = try await bootstrap(tls: nil).bind(unixDomainSocketPath: path).get()
                listeners.append(Listener(channel: unix, isTCP: false))
                try SocketFile.applyPermissions(path: path, mode: configuration.socketMode,
                                                group: configuration.socketGroup)
            }
            for address in configuration.tcpAddresses {
                let (host, port) = try parseTCPAddress(address)
                let channel = try await bootstrap(tls: sslContext).bind(host: host, port: port).get()
                listeners.append(Listener(channel: channel, isTCP: true))
            }
        } catch {
            for listener in listeners { try? await listener.channel.close() }
            for path in configuration.socketPaths { SocketFile.removeIfSocket(path) }
            if group == nil { try? await eventLoopGroup.shutdownGracefully() }
            throw error
        }
        return APIServer(listeners: listeners, group: eventLoopGroup, ownsGroup: group == nil, responses: responses,
                         configuration: configuration)
    }

    /// Splits `host:port` (`[v6]:port`, an empty host meaning every interface).
    static func parseTCPAddress(_ address: String) throws(APIServerError) -> (host: String, port: Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (0...65535).contains(port)
        else { throw APIServerError.invalidTCPAddress(address) }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// The first TCP port actually bound (useful with port 0), nil without a TCP listener.
    public var tcpPort: Int? { tcpPorts.first }

    /// Every TCP port bound, in the order of `configuration.tcpAddresses`.
    public var tcpPorts: [Int] { listeners.filter(\.isTCP).compactMap { $0.channel.localAddress?.port } }

    /// Stops listening, removes the socket files and shuts down the event loops the server created.
    public func shutdown() async throws {
        for listener in listeners { try? await listener.channel.close() }
        for path in configuration.socketPaths { SocketFile.removeIfSocket(path) }
        await responses.cancelAndWait()
        if ownsGroup { try await group.shutdownGracefully() }
    }
}
