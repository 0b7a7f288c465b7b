import Glibc
import NIOCore
import NIOHTTP1
import NIOPosix
import SpliceAPI
import SpliceImages
import SystemKit
import struct EngineErrors.EngineError

/// `docker import URL`: fetches an `http://` URL with SwiftNIO's HTTP/1.1 client codec (an `https://` one with
/// AsyncHTTPClient) into an open file, as dockerd downloads the tar before importing it.
enum URLDownload {
    /// The parts of an `http://host[:port]/path` URL.
    struct Target: Equatable {
        /// The host name or address (brackets of an IPv6 literal removed).
        var host: String
        /// The port, 80 unless given.
        var port: Int
        /// The request target, `/` at least.
        var path: String
        /// `host[:port]` as the `Host` header carries it.
        var hostHeader: String
    }

    /// Parses `url`; `invalidArgument` in dockerd's spirit for what cannot be fetched.
    static func target(of url: String) throws(EngineError) -> Target {
        guard url.hasPrefix("http://") else {
            throw EngineError(.invalidArgument,
                              "invalid import source \(url): use -, a file, or an http:// or https:// URL")
        }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = String(authority), port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw EngineError(.invalidArgument, "invalid URL \(url)")
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let tail = authority[authority.index(after: close)...]
            if tail.hasPrefix(":") {
                guard let value = Int(tail.dropFirst()) else {
                    throw EngineError(.invalidArgument, "invalid URL \(url)")
                }
                port = value
            }
        } else if let colon = authority.lastIndex(of: ":") {
            guard let value = Int(authority[authority.index(after: colon)...]) else {
                throw EngineError(.invalidArgument, "invalid URL \(url)")
            }
            host = String(authority[..<colon])
            port = value
        }
        guard !host.isEmpty, (1...65535).contains(port) else {
            throw EngineError(.invalidArgument, "invalid URL \(url)")
        }
        return Target(host: host, port: port, path: path.isEmpty ? "/" : String(path), hostHeader: String(authority))
    }

    /// Downloads `url` into `fileDescriptor`; a status other than 200 or a dropped connection is an error.
    /// `https://` URLs go through AsyncHTTPClient with TLS (`HTTPDownload`).
    static func fetch(_ url: String, into fileDescriptor: Int32) async throws {
        if url.hasPrefix("https://") {
            do { try await HTTPDownload.fetch(url, into: fileDescriptor) } catch {
                throw SpliceDockerEngine.engineError(error)
            }
            return
        }
        let target = try target(of: url)
        let group = MultiThreadedEventLoopGroup.singleton
        let done = group.next().makePromise(of: Void.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group).channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        DownloadHandler(url: url, fileDescriptor: fileDescriptor, done: done))
                }
            }.connect(host: target.host, port: target.port).get()
        } catch {
            done.fail(error)
            throw EngineError(.invalidArgument, "Get \"\(url)\": \(error)", cause: error)
        }
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.path)
        head.headers.add(name: "Host", value: target.hostHeader)
        head.headers.add(name: "Connection", value: "close")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer { channel.close(promise: nil) }
        try await done.futureResult.get()
    }
}

/// Writes the response body to the file and completes `done` at its end (or fails it).
private final class DownloadHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let url: String
    private let fileDescriptor: Int32
    private let done: EventLoopPromise<Void>
    private var finished = false

    init(url: String, fileDescriptor: Int32, done: EventLoopPromise<Void>) {
        self.url = url
        self.fileDescriptor = fileDescriptor
        self.done = done
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if head.status != .ok {
                fail(EngineError(.invalidArgument,
                                 "Get \"\(url)\": \(head.status.code) \(head.status.reasonPhrase)"), context)
            }
        case .body(let buffer):
            let failed = buffer.withUnsafeReadableBytes { bytes -> Bool in
                var offset = 0
                while offset < bytes.count {
                    let count = write(fileDescriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { return true }
                    offset += count
                }
                return false
            }
            if failed {
                fail(EngineError.system("write") { "cannot spool \(url): \($0)" }, context)
            }
        case .end:
            finished = true
            done.succeed(())
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished { fail(EngineError(.invalidArgument, "Get \"\(url)\": the connection closed early"), context) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(EngineError(.invalidArgument, "Get \"\(url)\": \(error)", cause: error), context)
    }

    private func fail(_ error: EngineError, _ context: ChannelHandlerContext) {
        guard !finished else { return }
        finished = true
        done.fail(error)
        context.close(promise: nil)
    }
}
