import NIOCore
import NIOHTTP1

/// What NIO's request decoder makes of a byte stream, as the API server's pipeline receives it: each request's
/// head, its body chunks, and whether its end arrived.
final class RequestCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart

    /// One decoded request.
    struct Request: Sendable {
        /// Method, target and headers.
        var head: HTTPRequestHead
        /// The body as the decoder delivered it (Content-Length or chunked framing removed).
        var body: [[UInt8]] = []
        /// Whether the decoder saw the request's end (the whole body).
        var complete = false
    }

    /// The requests in the order they arrived.
    private(set) var requests: [Request] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requests.append(Request(head: head))
        case .body(let buffer):
            guard !requests.isEmpty else { return }
            requests[requests.count - 1].body.append(Array(buffer.readableBytesView))
        case .end:
            guard !requests.isEmpty else { return }
            requests[requests.count - 1].complete = true
        }
    }
}
