import AsyncHTTPClient
import Foundation
import NIOCore

extension EtcdClient {
    /// Streams every change under `prefix` from `revision` on. Equivalent to
    /// `etcdctl watch --prefix PREFIX --rev REVISION`.
    ///
    /// The stream ends with an error when the connection is lost (`.unreachable`) or the revision was compacted
    /// (`.compacted`); the caller then reads a fresh snapshot and watches again from its revision.
    public func watch(prefix: String, from revision: Int64) -> AsyncThrowingStream<EtcdWatchBatch, any Error> {
        let (stream, continuation) = AsyncThrowingStream<EtcdWatchBatch, any Error>.makeStream()
        let task = Task {
            do throws(ClusterStoreError) {
                try await self.streamWatch(prefix: prefix, from: revision, into: continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func streamWatch(prefix: String, from revision: Int64,
                             into continuation: AsyncThrowingStream<EtcdWatchBatch, any Error>.Continuation)
        async throws(ClusterStoreError)
    {
        let path = "/v3/watch"
        let create = EtcdWire.WatchCreate(key: EtcdWire.base64(prefix), range_end: EtcdWire.prefixEnd(prefix),
                                          start_revision: EtcdWire.Int64String(revision))
        let bytes = try encode(EtcdWire.WatchRequest(create_request: create), path: path)
        var lastFailure: (any Error)?
        for member in endpoints.members {
            var request = HTTPClientRequest(url: "http://\(member)\(path)")
            request.method = .POST
            request.body = .bytes(ByteBuffer(bytes: bytes))
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, deadline: .distantFuture)
            } catch {
                lastFailure = error
                continue
            }
            guard response.status.code == 200 else {
                throw .rejected(path: path, status: Int(response.status.code), message: "")
            }
            var splitter = JSONLineSplitter()
            do {
                for try await chunk in response.body {
                    splitter.append(chunk)
                    while let line = splitter.next() {
                        if let batch = try Self.watchBatch(decoding: line) { continuation.yield(batch) }
                    }
                }
            } catch let error as ClusterStoreError {
                throw error
            } catch {
                throw .unreachable(endpoints: [member], cause: error)
            }
            if Task.isCancelled { return }
            throw .unreachable(endpoints: [member], cause: ClusterStoreError.missing(key: "watch stream ended"))
        }
        throw .unreachable(endpoints: endpoints.members, cause: lastFailure ?? ClusterStoreError.missing(key: path))
    }

    /// Decodes one message of the watch stream: nil for the creation notice, an error for a cancel.
    static func watchBatch(decoding line: [UInt8]) throws(ClusterStoreError) -> EtcdWatchBatch? {
        let message: EtcdWire.WatchResult
        do {
            message = try JSONDecoder().decode(EtcdWire.WatchResult.self, from: Data(line))
        } catch {
            throw .malformed(what: "watch answer", cause: error)
        }
        if let error = message.error {
            throw .rejected(path: "/v3/watch", status: error.http_code ?? 0, message: error.message ?? "")
        }
        guard let result = message.result else { return nil }
        if let compacted = result.compact_revision?.value, compacted != 0 { throw .compacted(revision: compacted) }
        if result.canceled == true {
            throw .rejected(path: "/v3/watch", status: 200, message: result.cancel_reason ?? "watch canceled")
        }
        let events = result.events ?? []
        if events.isEmpty { return nil }
        var decoded: [EtcdEvent] = []
        for event in events {
            guard let kv = event.kv else { continue }
            decoded.append(EtcdEvent(kind: event.type == "DELETE" ? .delete : .put, keyValue: try kv.decoded()))
        }
        return EtcdWatchBatch(events: decoded, revision: result.header?.revision?.value ?? 0)
    }
}
