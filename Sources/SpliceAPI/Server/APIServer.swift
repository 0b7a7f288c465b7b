import NIOCore
import NIOPosix

/// The Docker Engine API server: HTTP/1.1 on a unix socket (and optionally plain TCP) in front of a `DockerEngine`.
public final class APIServer: Sendable {
    private let channels: [any Channel]
    private let ownsGroup: Bool
    private let group: any EventLoopGroup
    private let responses: ResponseTasks
    /// The configuration the server was started with.
    public let configuration: APIServerConfiguration

    private init(channels: [any Channel], group: any EventLoopGroup, ownsGroup: Bool, responses: ResponseTasks,
                 configuration: APIServerConfiguration) {
        self.channels = channels
        self.responses = responses
        self.group = group
        self.ownsGroup = ownsGroup
        self.configuration = configuration
    }

    /// Binds the listeners and starts serving; throws `APIServerError` when the socket path is held by a live server.
    public static func start(engine: any DockerEngine, configuration: APIServerConfiguration,
                             group: (any EventLoopGroup)? = nil) async throws -> APIServer {
        let router = Router(engine: engine, serverVersion: configuration.serverVersion)
        let responses = ResponseTasks()
        let eventLoopGroup = group ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try HTTPConnectionHandler.configure(channel, router: router, responses: responses)
                }
            }
        var channels: [any Channel] = []
        do {
            try SocketFile.removeStale(at: configuration.socketPath)
            let unix = try await bootstrap.bind(unixDomainSocketPath: configuration.socketPath).get()
            channels.append(unix)
            try SocketFile.applyPermissions(path: configuration.socketPath, mode: configuration.socketMode,
                                            group: configuration.socketGroup)
            if let address = configuration.tcpAddress {
                guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...])
                else { throw APIServerError.invalidTCPAddress(address) }
                var host = String(address[..<colon])
                if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
                channels.append(try await bootstrap.bind(host: host.isEmpty ? "0.0.0.0" : host, port: port).get())
            }
        } catch {
            for channel in channels { try? await channel.close() }
            if group == nil { try? await eventLoopGroup.shutdownGracefully() }
            throw error
        }
        return APIServer(channels: channels, group: eventLoopGroup, ownsGroup: group == nil, responses: responses,
                         configuration: configuration)
    }

    /// The TCP port actually bound (useful with port 0), nil without a TCP listener.
    public var tcpPort: Int? { channels.dropFirst().first?.localAddress?.port }

    /// Stops listening, removes the socket file and shuts down the event loops the server created.
    public func shutdown() async throws {
        for channel in channels { try? await channel.close() }
        SocketFile.removeIfSocket(configuration.socketPath)
        await responses.cancelAndWait()
        if ownsGroup { try await group.shutdownGracefully() }
    }
}
