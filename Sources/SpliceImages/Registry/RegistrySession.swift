import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1

/// Requests to one repository at one endpoint with one set of credentials: answers a `401` challenge once
/// (fetching a bearer token, or sending basic credentials) and retries.
public struct RegistrySession: Sendable {
    /// The client.
    let client: RegistryClient
    /// Where requests go.
    public let endpoint: RegistryEndpoint
    /// The token scope: `repository:library/bb:pull`.
    let scope: String
    /// The repository path at the registry.
    public let repository: String
    /// The user's credentials, if any.
    let credentials: RegistryCredentials?

    /// How long one request may take before the registry counts as not answering (large blobs stream longer:
    /// the deadline covers the response head, the body is read as it comes).
    static let requestTimeout: TimeAmount = .minutes(30)

    /// Sends a request to `pathOrURL` (a path under the endpoint, or an absolute upload URL), answering an
    /// authentication challenge once. `body` is called for each attempt.
    func send(_ method: HTTPMethod, _ pathOrURL: String, headers: [(String, String)] = [],
              body: (@Sendable () -> HTTPClientRequest.Body?)? = nil) async throws(ImageError) -> HTTPClientResponse {
        let url = absoluteURL(pathOrURL)
        let key = endpoint.baseURL + "|" + scope
        var authorization = await client.authorizations.value(for: key)
        for attempt in 0..<2 {
            var request = HTTPClientRequest(url: url)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let authorization { request.headers.replaceOrAdd(name: "Authorization", value: authorization) }
            request.body = body?()
            do { request.tlsConfiguration = try endpoint.tlsConfiguration() }
            let response: HTTPClientResponse
            do {
                response = try await client.http.execute(request, timeout: Self.requestTimeout)
            } catch {
                throw RegistryFailure.unreachable(method: method, url: url, error: error)
            }
            guard response.status == .unauthorized, attempt == 0,
                  let header = response.headers.first(name: "WWW-Authenticate"),
                  let challenge = AuthChallenge(parsing: header)
            else { return response }
            _ = try? await response.body.collect(upTo: 1 << 20)
            authorization = try await answer(challenge)
            if let authorization { await client.authorizations.store(authorization, for: key) }
        }
        throw ImageError(.internal, "unauthorized: authentication required")
    }

    /// The `Authorization` value answering `challenge`.
    func answer(_ challenge: AuthChallenge) async throws(ImageError) -> String? {
        switch challenge.scheme {
        case "basic":
            guard let credentials else { throw ImageError(.internal, "no basic auth credentials") }
            return credentials.basicAuthorization
        case "bearer":
            return "Bearer " + (try await token(for: challenge))
        default:
            throw ImageError(.internal, "unsupported authentication scheme \(challenge.scheme) of \(endpoint.domain)")
        }
    }

    /// A bearer token from the challenge's realm for this session's scope.
    func token(for challenge: AuthChallenge) async throws(ImageError) -> String {
        guard let realm = challenge.parameters["realm"], !realm.isEmpty else {
            throw ImageError(.internal, "the registry \(endpoint.domain) sent a bearer challenge without a realm")
        }
        var query: [String] = []
        if let service = challenge.parameters["service"] { query.append("service=" + URLQuery.escape(service)) }
        if !scope.isEmpty { query.append("scope=" + URLQuery.escape(scope)) }
        if let credentials { query.append("account=" + URLQuery.escape(credentials.username)) }
        let url = realm + (realm.contains("?") ? "&" : "?") + query.joined(separator: "&")
        var request = HTTPClientRequest(url: url)
        if let credentials { request.headers.add(name: "Authorization", value: credentials.basicAuthorization) }
        if url.hasPrefix("https://") {
            do { request.tlsConfiguration = try endpoint.tlsConfiguration() }
        }
        let response: HTTPClientResponse
        do {
            response = try await client.http.execute(request, timeout: .seconds(60))
        } catch {
            throw RegistryFailure.unreachable(method: .GET, url: url, error: error)
        }
        let bytes = try await RegistrySession.collect(response, limit: 1 << 20)
        guard response.status == .ok else {
            throw ImageError(.internal, RegistryFailure.describe(bytes) ?? "unauthorized: \(response.status)")
        }
        struct TokenAnswer: Decodable {
            var token: String?
            var access_token: String?
        }
        let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(bytes))
        guard let token = answer?.token ?? answer?.access_token, !token.isEmpty else {
            throw ImageError(.internal, "the token server \(realm) sent no token")
        }
        return token
    }

    /// `pathOrURL` as an absolute URL.
    func absoluteURL(_ pathOrURL: String) -> String {
        if pathOrURL.hasPrefix("http://") || pathOrURL.hasPrefix("https://") { return pathOrURL }
        return endpoint.baseURL + pathOrURL
    }

    /// The whole body of `response`, refusing more than `limit` bytes.
    static func collect(_ response: HTTPClientResponse, limit: Int) async throws(ImageError) -> [UInt8] {
        do {
            let buffer = try await response.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch {
            throw ImageError(.internal, "cannot read the registry's answer: \(error)")
        }
    }
}

/// Query-string escaping for token and search requests.
enum URLQuery {
    /// Percent-encodes everything but unreserved characters.
    static func escape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            let isUnreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a)
                || (byte >= 0x61 && byte <= 0x7a) || byte == 0x2d || byte == 0x2e || byte == 0x5f || byte == 0x7e
            if isUnreserved {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                output += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xf)]], as: UTF8.self)
            }
        }
        return output
    }
}
