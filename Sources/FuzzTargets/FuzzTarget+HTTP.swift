import Dispatch
import NIOCore
import NIOEmbedded
import NIOHTTP1
import SpliceAPI

extension FuzzTarget {
    /// The server's routes in front of an engine that knows nothing, so only parsing and routing run.
    static let offlineRouter = OfflineRouter(engine: RefusingEngine())

    /// The requests NIO's decoder (configured as `HTTPConnectionHandler` configures it) finds in `bytes`. A
    /// malformed request ends the stream there, as the server answers it 400 and closes.
    static func decodedRequests(_ bytes: [UInt8]) -> [RequestCollector.Request] {
        let channel = EmbeddedChannel()
        let collector = RequestCollector()
        do {
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
            try channel.pipeline.syncOperations.addHandler(collector)
            try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
        } catch {
            // A request the decoder refuses; those before it stand.
        }
        _ = try? channel.finish(acceptAlreadyClosed: true)
        return collector.requests
    }

    /// `http`: bytes as they arrive on an API connection, decoded, then answered by the router one request after
    /// the other (a request whose end never came gets a body that ends in `RequestBodyError.incomplete`).
    static func runHTTP(_ bytes: [UInt8]) {
        let requests = decodedRequests(bytes)
        guard !requests.isEmpty else { return }
        let done = DispatchSemaphore(value: 0)
        Task {
            for request in requests {
                let (body, continuation) = RequestBody.makeStream()
                for chunk in request.body { continuation.yield(chunk) }
                if request.complete {
                    continuation.finish()
                } else {
                    continuation.finish(throwing: RequestBodyError.incomplete)
                }
                _ = await offlineRouter.respond(method: request.head.method, uri: request.head.uri,
                                                headers: request.head.headers, body: body)
            }
            done.signal()
        }
        done.wait()
    }
}
