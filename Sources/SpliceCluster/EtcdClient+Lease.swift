import AsyncHTTPClient
import Foundation
import NIOCore

extension EtcdClient {
    /// Grants a lease of `ttl` seconds. Equivalent to `etcdctl lease grant TTL`.
    public func grantLease(ttl: Int64) async throws(ClusterStoreError) -> EtcdLease {
        let request = EtcdWire.LeaseGrantRequest(TTL: EtcdWire.Int64String(ttl), ID: EtcdWire.Int64String(0))
        let response: EtcdWire.LeaseGrantResponse = try await call("/v3/lease/grant", request)
        if let error = response.error, !error.isEmpty {
            throw .rejected(path: "/v3/lease/grant", status: 200, message: error)
        }
        guard let id = response.ID?.value, id != 0 else {
            throw .malformed(what: "lease grant answer without an ID", cause: nil)
        }
        return EtcdLease(id: id, ttl: response.TTL?.value ?? ttl)
    }

    /// Revokes a lease, deleting every key attached to it. Equivalent to `etcdctl lease revoke ID`.
    public func revoke(_ lease: EtcdLease) async throws(ClusterStoreError) {
        let _: EtcdWire.HeaderResponse = try await call("/v3/lease/revoke",
                                                        EtcdWire.LeaseRequest(ID: EtcdWire.Int64String(lease.id)))
    }

    /// Refreshes a lease once; returns the TTL left, 0 when the lease has already expired.
    /// Equivalent to `etcdctl lease keep-alive --once ID`.
    ///
    /// The gateway answers `/v3/lease/keepalive` as a stream; the first answer is read and the request is ended.
    public func keepAlive(_ lease: EtcdLease) async throws(ClusterStoreError) -> Int64 {
        let path = "/v3/lease/keepalive"
        let bytes = try encode(EtcdWire.LeaseRequest(ID: EtcdWire.Int64String(lease.id)), path: path)
        var lastFailure: (any Error)?
        for member in endpoints.members {
            var request = HTTPClientRequest(url: "http://\(member)\(path)")
            request.method = .POST
            request.body = .bytes(ByteBuffer(bytes: bytes))
            var line: [UInt8]?
            do {
                let response = try await leaseHTTP.execute(request, timeout: requestTimeout)
                guard response.status.code == 200 else {
                    throw ClusterStoreError.rejected(path: path, status: Int(response.status.code), message: "")
                }
                var splitter = JSONLineSplitter()
                reading: for try await chunk in response.body {
                    splitter.append(chunk)
                    if let first = splitter.next() {
                        line = first
                        break reading
                    }
                }
            } catch let error as ClusterStoreError {
                throw error
            } catch {
                lastFailure = error
                continue
            }
            guard let line else { throw .malformed(what: "empty keep-alive answer", cause: nil) }
            let result: EtcdWire.LeaseKeepAliveResult
            do {
                result = try JSONDecoder().decode(EtcdWire.LeaseKeepAliveResult.self, from: Data(line))
            } catch {
                throw .malformed(what: "keep-alive answer", cause: error)
            }
            if let error = result.error {
                throw .rejected(path: path, status: error.http_code ?? 0, message: error.message ?? "")
            }
            return result.result?.TTL?.value ?? 0
        }
        throw .unreachable(endpoints: endpoints.members, cause: lastFailure ?? ClusterStoreError.missing(key: path))
    }
}
