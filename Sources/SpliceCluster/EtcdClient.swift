import AsyncHTTPClient
import Foundation
import NIOCore

/// An etcd v3 client speaking the JSON gateway (`/v3/kv/*`, `/v3/lease/*`, `/v3/watch`) over AsyncHTTPClient.
///
/// The gateway rather than gRPC: it is served by every etcd 3.4 on the client port, needs no generated protobuf
/// code (and no protobuf compiler plugin in the build), and AsyncHTTPClient already streams the watch and
/// keep-alive answers. Members are tried in the order given; the first that answers serves the request.
public final class EtcdClient: ClusterKeyValueStore {
    /// The members this client talks to.
    public let endpoints: EtcdEndpoints
    let http: HTTPClient
    /// Keep-alives' own client: a burst of other requests (a hundred containers started at once) must not make
    /// them wait for a pooled connection until the lease has expired.
    let leaseHTTP: HTTPClient
    let requestTimeout: TimeAmount

    /// Creates a client; no connection is made until the first request.
    public init(endpoints: EtcdEndpoints, requestTimeout: TimeAmount = .seconds(5)) {
        self.endpoints = endpoints
        self.requestTimeout = requestTimeout
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(2))
        configuration.connectionPool.idleTimeout = .seconds(30)
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        leaseHTTP = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Closes the client's connections; call once, when done.
    public func close() async {
        try? await http.shutdown()
        try? await leaseHTTP.shutdown()
    }

    /// Reads one key. Equivalent to `etcdctl get KEY`.
    public func value(at key: String) async throws(ClusterStoreError) -> EtcdKeyValue? {
        let response: EtcdWire.RangeResponse = try await call("/v3/kv/range",
                                                              EtcdWire.RangeRequest(key: EtcdWire.base64(key)))
        return try response.kvs?.first?.decoded()
    }

    /// Reads every key under a prefix, at one revision. Equivalent to `etcdctl get --prefix PREFIX`.
    public func values(under prefix: String) async throws(ClusterStoreError) -> EtcdRange {
        let request = EtcdWire.RangeRequest(key: EtcdWire.base64(prefix), range_end: EtcdWire.prefixEnd(prefix))
        let response: EtcdWire.RangeResponse = try await call("/v3/kv/range", request)
        var keyValues: [EtcdKeyValue] = []
        for kv in response.kvs ?? [] { keyValues.append(try kv.decoded()) }
        return EtcdRange(keyValues: keyValues, revision: response.header?.revision?.value ?? 0)
    }

    /// Writes a key, attached to a lease when `lease` is not 0. Equivalent to `etcdctl put KEY VALUE`.
    @discardableResult
    public func put(_ key: String, value: [UInt8], lease: Int64 = 0) async throws(ClusterStoreError) -> Int64 {
        let request = EtcdWire.PutRequest(key: EtcdWire.base64(key), value: EtcdWire.base64(value),
                                          lease: lease == 0 ? nil : EtcdWire.Int64String(lease))
        let response: EtcdWire.HeaderResponse = try await call("/v3/kv/put", request)
        return response.header?.revision?.value ?? 0
    }

    /// Deletes one key, or every key under it with `prefix`. Equivalent to `etcdctl del [--prefix] KEY`.
    @discardableResult
    public func delete(_ key: String, prefix: Bool = false) async throws(ClusterStoreError) -> Int64 {
        let request = EtcdWire.DeleteRangeRequest(key: EtcdWire.base64(key),
                                                  range_end: prefix ? EtcdWire.prefixEnd(key) : nil)
        let response: EtcdWire.DeleteRangeResponse = try await call("/v3/kv/deleterange", request)
        return response.deleted?.value ?? 0
    }

    /// Runs a transaction atomically. Equivalent to `etcdctl txn`.
    public func commit(_ transaction: EtcdTransaction) async throws(ClusterStoreError) -> EtcdTransactionResult {
        let response: EtcdWire.TxnResponse = try await call("/v3/kv/txn", EtcdWire.transaction(transaction))
        var keyValues: [EtcdKeyValue] = []
        for op in response.responses ?? [] {
            for kv in op.response_range?.kvs ?? [] { keyValues.append(try kv.decoded()) }
        }
        return EtcdTransactionResult(succeeded: response.succeeded ?? false,
                                     revision: response.header?.revision?.value ?? 0, keyValues: keyValues)
    }

    /// Sends one unary request to the first member that answers and decodes its answer.
    func call<Request: Encodable, Response: Decodable>(_ path: String, _ body: Request)
        async throws(ClusterStoreError) -> Response
    {
        let bytes = try encode(body, path: path)
        var lastFailure: (any Error)?
        for member in endpoints.members {
            var request = HTTPClientRequest(url: "http://\(member)\(path)")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
            let status: Int
            let answer: ByteBuffer
            do {
                (status, answer) = try await send(request)
            } catch {
                lastFailure = error
                continue
            }
            let data = Data(answer.readableBytesView)
            guard status == 200 else {
                let message = (try? JSONDecoder().decode(EtcdWire.ErrorBody.self, from: data))
                    .flatMap { $0.message ?? $0.error } ?? String(decoding: data, as: UTF8.self)
                throw .rejected(path: path, status: status, message: message)
            }
            do {
                return try JSONDecoder().decode(Response.self, from: data)
            } catch {
                throw .malformed(what: "answer to \(path)", cause: error)
            }
        }
        throw .unreachable(endpoints: endpoints.members, cause: lastFailure ?? ClusterStoreError.missing(key: path))
    }

    /// Sends one request; a pooled connection the member closed meanwhile (it restarted) is tried once more on a
    /// fresh one, as what failed is the stale connection, not the member. A timeout is not retried.
    private func send(_ request: HTTPClientRequest) async throws -> (Int, ByteBuffer) {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await http.execute(request, timeout: requestTimeout)
                return (Int(response.status.code), try await response.body.collect(upTo: 64 << 20))
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout
                || error == .connectTimeout
            {
                throw error
            } catch {
                if attempt >= 2 { throw error }
            }
        }
    }

    func encode<Request: Encodable>(_ body: Request, path: String) throws(ClusterStoreError) -> [UInt8] {
        do {
            return [UInt8](try JSONEncoder().encode(body))
        } catch {
            throw .malformed(what: "request to \(path)", cause: error)
        }
    }
}
