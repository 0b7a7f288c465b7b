import NIOCore

/// The handler left in a hijacked pipeline: client bytes go to stdin, the client's half-close ends stdin only.
final class RawStreamHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let stdin: AsyncStream<[UInt8]>.Continuation
    /// Cancels the output writer when the client goes away (set on the event loop).
    var onInactive: (() -> Void)?

    /// Creates a handler feeding `stdin`.
    init(stdin: AsyncStream<[UInt8]>.Continuation) { self.stdin = stdin }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        stdin.yield(Array(buffer.readableBytesView))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            // Read-EOF means "stdin finished" and nothing else (contract 7.1, pitfall 1).
            stdin.finish()
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stdin.finish()
        onInactive?()
        onInactive = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
