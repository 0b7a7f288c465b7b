#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOHTTP1
import struct EngineErrors.EngineError

/// One request as the routes see it: version prefix stripped, query parsed, body as a byte stream.
struct APIRequest: Sendable {
    /// HTTP method.
    var method: HTTPMethod
    /// Path without the `/vX.Y` prefix and without the query, percent-decoded.
    var path: String
    /// The version from the path prefix, nil when unversioned ("current").
    var version: APIVersion?
    /// Parsed query.
    var query: QueryParameters
    /// Request headers.
    var headers: HTTPHeaders
    /// Body bytes as they arrive (chunked uploads stream through here).
    var body: RequestBody

    /// Largest JSON body collected in memory.
    static let maximumJSONBody = 16 << 20

    /// Whether the client asked for `Connection: Upgrade` / `Upgrade: tcp`.
    var wantsUpgrade: Bool {
        headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
            && headers.contains(name: "upgrade")
    }

    /// The decoded `X-Registry-Auth` header (base64url JSON); nil when absent or `{}`-empty.
    var registryAuth: AuthConfig? {
        guard let header = headers.first(name: "X-Registry-Auth"), !header.isEmpty else { return nil }
        var text = String(header.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while text.utf8.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text),
              let config = try? JSONDecoder().decode(AuthConfig.self, from: data),
              config != AuthConfig()
        else { return nil }
        return config
    }

    /// Collects the whole body (JSON bodies only): 413 over `maximumJSONBody`, and `RequestBodyError.incomplete`
    /// when the client went away before the body ended, so half a request is never executed.
    func collectBody() async throws(EngineError) -> [UInt8] {
        if let declared = headers.first(name: "Content-Length").flatMap({ Int($0) }), declared > Self.maximumJSONBody {
            throw Self.tooLarge
        }
        var bytes: [UInt8] = []
        do {
            for try await chunk in body {
                bytes += chunk
                if bytes.count > Self.maximumJSONBody { throw Self.tooLarge }
            }
        } catch let error as EngineError {
            throw error
        } catch {
            throw RequestBodyError.incomplete
        }
        // The connection handler cancels the task when the client goes away; a body that looked whole is not.
        if Task.isCancelled { throw RequestBodyError.incomplete }
        return bytes
    }

    private static let tooLarge = EngineError(.tooLarge,
                                              "request body too large: the limit is \(maximumJSONBody >> 20) MiB")

    /// Decodes a JSON body; nil when the body is empty.
    func decodeBody<T: Decodable>(_ type: T.Type) async throws(EngineError) -> T? {
        let bytes = try await collectBody()
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw EngineError(.invalidArgument, "invalid JSON body: \(error)", cause: error)
        }
    }
}
