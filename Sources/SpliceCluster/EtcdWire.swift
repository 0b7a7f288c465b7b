import Foundation

/// The JSON shapes of etcd's v3 gateway (grpc-gateway's proto3 mapping: bytes in base64, 64-bit integers as
/// strings, fields at their default value left out).
enum EtcdWire {
    /// A 64-bit integer the gateway writes as a string (and accepts as one).
    struct Int64String: Codable, Sendable {
        var value: Int64
        init(_ value: Int64) { self.value = value }
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int64.self) {
                value = number
            } else {
                let text = try container.decode(String.self)
                guard let number = Int64(text) else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an integer: \(text)")
                }
                value = number
            }
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(String(value))
        }
    }

    struct Header: Decodable {
        var revision: Int64String?
    }

    struct KeyValue: Decodable {
        var key: String?
        var value: String?
        var create_revision: Int64String?
        var mod_revision: Int64String?
        var lease: Int64String?

        func decoded() throws(ClusterStoreError) -> EtcdKeyValue {
            let keyBytes = try EtcdWire.bytes(fromBase64: key ?? "")
            return EtcdKeyValue(key: String(decoding: keyBytes, as: UTF8.self),
                                value: try EtcdWire.bytes(fromBase64: value ?? ""),
                                createRevision: create_revision?.value ?? 0, modRevision: mod_revision?.value ?? 0,
                                lease: lease?.value ?? 0)
        }
    }

    struct RangeRequest: Encodable {
        var key: String
        var range_end: String?
    }

    struct RangeResponse: Decodable {
        var header: Header?
        var kvs: [KeyValue]?
    }

    struct PutRequest: Encodable {
        var key: String
        var value: String
        var lease: Int64String?
    }

    struct DeleteRangeRequest: Encodable {
        var key: String
        var range_end: String?
    }

    struct DeleteRangeResponse: Decodable {
        var header: Header?
        var deleted: Int64String?
    }

    struct HeaderResponse: Decodable {
        var header: Header?
    }

    struct Compare: Encodable {
        var key: String
        var target: String
        var result = "EQUAL"
        var create_revision: Int64String?
        var mod_revision: Int64String?
    }

    struct RequestOp: Encodable {
        var request_put: PutRequest?
        var request_delete_range: DeleteRangeRequest?
        var request_range: RangeRequest?
    }

    struct TxnRequest: Encodable {
        var compare: [Compare]
        var success: [RequestOp]
        var failure: [RequestOp]
    }

    struct ResponseOp: Decodable {
        var response_range: RangeResponse?
    }

    struct TxnResponse: Decodable {
        var header: Header?
        var succeeded: Bool?
        var responses: [ResponseOp]?
    }

    struct LeaseGrantRequest: Encodable {
        var TTL: Int64String
        var ID: Int64String
    }

    struct LeaseGrantResponse: Decodable {
        var ID: Int64String?
        var TTL: Int64String?
        var error: String?
    }

    struct LeaseRequest: Encodable {
        var ID: Int64String
    }

    struct LeaseKeepAliveResult: Decodable {
        var result: LeaseGrantResponse?
        var error: StreamError?
    }

    struct WatchCreate: Encodable {
        var key: String
        var range_end: String?
        var start_revision: Int64String?
    }

    struct WatchRequest: Encodable {
        var create_request: WatchCreate
    }

    struct Event: Decodable {
        var type: String?
        var kv: KeyValue?
    }

    struct WatchResponse: Decodable {
        var header: Header?
        var created: Bool?
        var canceled: Bool?
        var compact_revision: Int64String?
        var cancel_reason: String?
        var events: [Event]?
    }

    struct StreamError: Decodable {
        var message: String?
        var http_code: Int?
    }

    struct WatchResult: Decodable {
        var result: WatchResponse?
        var error: StreamError?
    }

    struct ErrorBody: Decodable {
        var error: String?
        var message: String?
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func bytes(fromBase64 text: String) throws(ClusterStoreError) -> [UInt8] {
        guard let data = Data(base64Encoded: text) else { throw .malformed(what: "base64 \"\(text)\"", cause: nil) }
        return [UInt8](data)
    }

    /// The end of the range of every key starting with `prefix` (the prefix with its last byte incremented).
    static func prefixEnd(_ prefix: String) -> String {
        var bytes = Array(prefix.utf8)
        while let last = bytes.last {
            if last < 0xff {
                bytes[bytes.count - 1] = last + 1
                return base64(bytes)
            }
            bytes.removeLast()
        }
        return base64([0])  // every key
    }

    static func compare(_ comparison: EtcdTransaction.Comparison) -> Compare {
        switch comparison {
        case .createRevision(let key, let revision):
            Compare(key: base64(key), target: "CREATE", create_revision: Int64String(revision))
        case .modRevision(let key, let revision):
            Compare(key: base64(key), target: "MOD", mod_revision: Int64String(revision))
        }
    }

    static func operation(_ operation: EtcdTransaction.Operation) -> RequestOp {
        switch operation {
        case .put(let key, let value, let lease):
            RequestOp(request_put: PutRequest(key: base64(key), value: base64(value),
                                              lease: lease == 0 ? nil : Int64String(lease)))
        case .delete(let key):
            RequestOp(request_delete_range: DeleteRangeRequest(key: base64(key)))
        case .get(let key):
            RequestOp(request_range: RangeRequest(key: base64(key)))
        }
    }

    static func transaction(_ transaction: EtcdTransaction) -> TxnRequest {
        TxnRequest(compare: transaction.comparisons.map(compare), success: transaction.success.map(operation),
                   failure: transaction.failure.map(operation))
    }
}
