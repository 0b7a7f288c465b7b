import NIOCore
import NIOHTTP1

/// Serves one connection: hands each request to the router and writes the answer with Docker's framing,
/// including the hijack that turns the connection into a raw stream.
final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Pipeline handler names, so the hijack can remove them.
    enum HandlerName {
        static let decoder = "http-decoder"
        static let encoder = "http-encoder"
        static let pipelining = "http-pipelining"
        static let errors = "http-errors"
    }

    private let router: Router
    private var body: RequestBody.Continuation?
    private var responseTask: Task<Void, Never>?
    /// Whether the current request's `.end` arrived; a response written before it closes the connection, since
    /// the rest of the body would otherwise be read as the next request.
    private var requestComplete = true
    /// The request in flight was cut short; its route's answer, if any, is dropped.
    private var abandoned = false
    /// Body bytes of the request in flight received so far, and the length its head announced.
    private var received = 0
    private var announced: Int?
    /// The answer went out before the body ended: the rest of the body is read and dropped, and the connection
    /// closed at its end (or at `DrainLimit`), so that a client still writing (the docker CLI streaming a tar to
    /// a daemon that refused it at once) reads the answer instead of failing its write with a broken pipe.
    private var draining = false
    /// The client closed its side of the connection.
    private var inputClosed = false
    /// A streamed body (build, pull and push progress, logs and events followed) is being written.
    private var streaming = false

    /// How much of an unread body is drained after an early answer before the connection is simply closed
    /// (Go's server drains 256 KiB; the docker CLI reads no answer until its body is written, so more is worth it).
    enum DrainLimit {
        static let bytes = 32 << 20
        static let time = TimeAmount.seconds(10)
    }

    private let responses: ResponseTasks

    /// Creates a handler answering through `router`, its response tasks tracked by `responses`.
    init(router: Router, responses: ResponseTasks) {
        self.router = router
        self.responses = responses
    }

    /// Adds the HTTP handlers and this handler to a new channel's pipeline.
    static func configure(_ channel: any Channel, router: Router, responses: ResponseTasks) throws {
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)),
                            name: HandlerName.decoder)
        try sync.addHandler(HTTPResponseEncoder(), name: HandlerName.encoder)
        try sync.addHandler(HTTPServerPipelineHandler(), name: HandlerName.pipelining)
        try sync.addHandler(HTTPServerProtocolErrorHandler(), name: HandlerName.errors)
        try sync.addHandler(HTTPConnectionHandler(router: router, responses: responses))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let (stream, continuation) = RequestBody.makeStream()
            body = continuation
            requestComplete = false
            abandoned = false
            draining = false
            streaming = false
            received = 0
            announced = head.headers.first(name: "Content-Length").flatMap { Int($0) }
            let bound = NIOLoopBound(Connection(handler: self, context: context, head: head), eventLoop: context.eventLoop)
            responseTask = Self.respond(to: head, body: stream, router: router, on: bound, responses: responses)
        case .body(let buffer):
            received += buffer.readableBytes
            if draining {
                if received > DrainLimit.bytes { context.close(promise: nil) }
            } else {
                body?.yield(Array(buffer.readableBytesView))
            }
        case .end:
            requestComplete = true
            body?.finish()
            body = nil
            if draining { context.close(promise: nil) }
        }
    }

    /// After an answer written before the request's body ended: drops what the route left unread and closes the
    /// connection once the body ends, unless what is left is more than `DrainLimit` allows.
    private func closeAfterBody(_ context: ChannelHandlerContext) {
        body?.finish()
        body = nil
        if let announced, announced - received > DrainLimit.bytes {
            context.close(promise: nil)
            return
        }
        draining = true
        let channel = context.channel
        context.eventLoop.scheduleTask(in: DrainLimit.time) { channel.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        abandonRequest()
        context.fireChannelInactive()
    }

    /// The client closed its side: a request whose body has not ended never will, so it is abandoned and the
    /// connection closed. A whole request still gets its answer on the half-open connection, unless that answer
    /// is a stream: then the client is gone, as Go's server takes an EOF to mean, and the stream's producer (a
    /// build's step, a pull) is cancelled instead of running on for no one.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            if !requestComplete || streaming {
                abandonRequest()
                context.close(promise: nil)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// The answer's streamed body begins; false when the client already went away (the stream is then dropped).
    private func beginStreaming(_ context: ChannelHandlerContext) -> Bool {
        streaming = true
        guard inputClosed else { return true }
        abandonRequest()
        context.close(promise: nil)
        return false
    }

    /// A request the decoder could not parse (`HTTPServerProtocolErrorHandler` answers it 400 and closes): the
    /// route must neither run on half a body nor write a second answer.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        abandonRequest()
        context.close(promise: nil)
    }

    /// Ends the request in flight as cut short: its body stream throws `RequestBodyError.incomplete`, then the
    /// task is cancelled (in that order: a stream whose reader is cancelled first ends as if whole), and nothing
    /// more is written for it.
    private func abandonRequest() {
        if !requestComplete { abandoned = true }
        body?.finish(throwing: RequestBodyError.incomplete)
        body = nil
        responseTask?.cancel()
        responseTask = nil
    }

    /// The loop-bound state a response writer needs.
    private struct Connection {
        let handler: HTTPConnectionHandler
        let context: ChannelHandlerContext
        let head: HTTPRequestHead
    }

    private static func respond(to head: HTTPRequestHead, body: RequestBody, router: Router,
                                on bound: NIOLoopBound<Connection>, responses: ResponseTasks) -> Task<Void, Never> {
        responses.run {
            let started = ContinuousClock.now
            let response = await router.respond(method: head.method, uri: head.uri, headers: head.headers, body: body)
            router.logger.debug("\(head.method.rawValue) \(head.uri)", metadata: [
                "status": "\(response.status.code)", "duration": "\(ContinuousClock.now - started)",
            ])
            await send(response, on: bound, router: router, responses: responses)
        }
    }

    private static func send(_ response: APIResponse, on bound: NIOLoopBound<Connection>, router: Router,
                             responses: ResponseTasks) async {
        if case .hijack(let session) = response.body {
            await hijack(session, on: bound, responses: responses)
            return
        }
        let loop = bound.eventLoop
        do {
            var headers = router.headers(for: response, date: HTTPDate.now())
            let noBody = response.status == .noContent || response.status == .notModified
            switch response.body {
            case .empty where !noBody, .bytes:
                if !headers.contains(name: "Content-Length") {
                    if case .bytes(let bytes) = response.body {
                        headers.add(name: "Content-Length", value: String(bytes.count))
                    } else {
                        headers.add(name: "Content-Length", value: "0")
                    }
                }
            case .chunked, .deferred, .stream:
                headers.add(name: "Transfer-Encoding", value: "chunked")
            case .empty, .hijack:
                break
            }
            let routeHeaders = headers
            try await loop.flatSubmit { () -> EventLoopFuture<Void> in
                let connection = bound.value
                if connection.handler.abandoned {
                    return connection.context.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
                }
                var finalHeaders = routeHeaders
                if !connection.handler.requestComplete { finalHeaders.replaceOrAdd(name: "Connection", value: "close") }
                let head = HTTPResponseHead(version: connection.head.version, status: response.status,
                                            headers: finalHeaders)
                return connection.context.writeAndFlush(connection.handler.wrapOutboundOut(.head(head)))
            }.get()
            switch response.body {
            case .bytes(let bytes), .chunked(let bytes):
                try await write(bytes, on: bound)
            case .deferred(let produce):
                try await write(await produce(), on: bound)
            case .stream(let chunks):
                let open = try await loop.submit {
                    let connection = bound.value
                    return connection.handler.beginStreaming(connection.context)
                }.get()
                guard open else { return }
                for try await chunk in chunks { try await write(chunk, on: bound) }
            case .empty, .hijack:
                break
            }
            try await loop.flatSubmit {
                let connection = bound.value
                return connection.context.writeAndFlush(connection.handler.wrapOutboundOut(.end(nil))).map {
                    let connection = bound.value
                    if !connection.handler.requestComplete {
                        connection.handler.closeAfterBody(connection.context)
                    } else if !connection.head.isKeepAlive {
                        connection.context.channel.close(promise: nil)
                    }
                }
            }.get()
        } catch {
            // The client went away or the stream failed after the headers: all we can do is close.
            loop.execute { bound.value.context.close(promise: nil) }
        }
    }

    private static func write(_ bytes: [UInt8], on bound: NIOLoopBound<Connection>) async throws {
        guard !bytes.isEmpty else { return }
        try await bound.eventLoop.flatSubmit {
            let connection = bound.value
            if connection.head.method == .HEAD { return connection.context.eventLoop.makeSucceededVoidFuture() }
            let buffer = connection.context.channel.allocator.buffer(bytes: bytes)
            return connection.context.writeAndFlush(connection.handler.wrapOutboundOut(.body(.byteBuffer(buffer))))
        }.get()
    }

    /// The exact status lines dockerd sends before the raw stream (contract 7.1).
    static func hijackHeader(upgrade: Bool, contentType: String = "application/vnd.docker.raw-stream") -> String {
        if upgrade {
            return "HTTP/1.1 101 UPGRADED\r\nContent-Type: \(contentType)\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
        }
        return "HTTP/1.1 200 OK\r\nContent-Type: \(contentType)\r\n\r\n"
    }

    /// The channel after the hijack and its raw handler.
    private struct HijackTarget: Sendable {
        let channel: any Channel
        let raw: NIOLoopBound<RawStreamHandler>
    }

    /// Replaces the HTTP handlers with a `RawStreamHandler`, writes the status line, then the output.
    private static func hijack(_ session: HijackSession, on bound: NIOLoopBound<Connection>,
                               responses: ResponseTasks) async {
        let loop = bound.eventLoop
        do {
            let target = try await loop.flatSubmit { () -> EventLoopFuture<HijackTarget> in
                let connection = bound.value
                let context = connection.context
                let raw = RawStreamHandler(stdin: session.stdin)
                let sync = context.pipeline.syncOperations
                do {
                    try sync.addHandler(raw)
                } catch {
                    return loop.makeFailedFuture(error)
                }
                let removals = [HandlerName.pipelining, HandlerName.errors, HandlerName.encoder].map {
                    sync.removeHandler(name: $0)
                } + [sync.removeHandler(context: context)]
                let result = HijackTarget(channel: context.channel, raw: NIOLoopBound(raw, eventLoop: loop))
                return EventLoopFuture.andAllSucceed(removals, on: loop).map { result }
            }.get()
            let channel = target.channel
            let raw = target.raw
            // Removing the decoder last forwards any bytes it buffered past the request to `raw`.
            try await channel.pipeline.removeHandler(name: HandlerName.decoder).get()
            let header = hijackHeader(upgrade: session.upgrade, contentType: session.contentType)
            try await channel.writeAndFlush(channel.allocator.buffer(string: header))
            await PeerReadWait.untilRead(channel)
            session.output.headWritten?()
            let writer = responses.run { await pump(session.output, to: channel) }
            loop.execute {
                if channel.isActive { raw.value.onInactive = { writer.cancel() } } else { writer.cancel() }
            }
        } catch {
            session.stdin.finish()
            loop.execute { bound.value.context.channel.close(promise: nil) }
        }
    }

    /// Writes the process output (framed unless TTY) and closes the connection at its end.
    private static func pump(_ output: ProcessOutput, to channel: any Channel) async {
        do {
            for try await chunk in output.chunks {
                let bytes = output.tty ? chunk.bytes : StdcopyFrame.encode(chunk.stream, chunk.bytes)
                if bytes.isEmpty { continue }
                try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
            }
        } catch {
            // Client gone or output failed; close below.
        }
        try? await channel.close()
    }
}
