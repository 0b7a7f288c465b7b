import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1

/// The OCI distribution (v2) client: one HTTP client for every registry, with the bearer tokens and basic
/// credentials it learned from `WWW-Authenticate` challenges cached per endpoint and scope.
public final class RegistryClient: Sendable {
    /// How registries are reached.
    public let options: RegistryOptions
    /// The HTTP client.
    let http: HTTPClient
    /// `Authorization` values by endpoint and scope.
    let authorizations = TextCache()
    /// The endpoint that answered for each registry with several candidates.
    let chosenEndpoints = TextCache()

    /// Manifest media types a pull accepts, most wanted first.
    static let manifestAccept = [
        MediaType.dockerManifest, MediaType.dockerManifestList, MediaType.imageManifest, MediaType.imageIndex,
    ].joined(separator: ", ")

    /// Creates a client on NIO's shared event loops.
    public init(options: RegistryOptions = RegistryOptions()) {
        self.options = options
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .follow(max: 10, allowCycles: false)
        configuration.timeout.connect = .seconds(15)
        configuration.decompression = .disabled
        // A registry that refuses the connection is an error at once, as in dockerd, not after retries.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the client's connections; call once, when it is no longer used.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// A session on `repository` (`library/bb`) at `endpoint`, for `actions` (`pull` or `pull,push`).
    public func session(_ endpoint: RegistryEndpoint, repository: String, actions: String = "pull",
                        credentials: RegistryCredentials?) -> RegistrySession {
        RegistrySession(client: self, endpoint: endpoint, scope: "repository:\(repository):\(actions)",
                        repository: repository, credentials: credentials)
    }

    /// The registry's own endpoint for `domain` (not a mirror): the only candidate, or for an insecure registry the
    /// first of HTTPS and HTTP that answers `GET /v2/` with any HTTP status, remembered for later requests.
    public func endpoint(for domain: String) async throws(ImageError) -> RegistryEndpoint {
        let candidates = RegistryEndpoint.endpoints(for: domain, options: options, pulling: false)
        guard candidates.count > 1 else {
            guard let only = candidates.first else { throw ImageError(.internal, "no endpoint for \(domain)") }
            return only
        }
        if let known = await chosenEndpoints.value(for: domain), let endpoint = candidates.first(where: {
            $0.baseURL == known
        }) {
            return endpoint
        }
        var failure = ImageError(.internal, "no endpoint for \(domain)")
        for candidate in candidates {
            var request = HTTPClientRequest(url: candidate.baseURL + "/v2/")
            do { request.tlsConfiguration = try candidate.tlsConfiguration() }
            do {
                let response = try await http.execute(request, timeout: .seconds(30))
                _ = try? await response.body.collect(upTo: 1 << 20)
                if response.status == .badRequest, candidate.baseURL.hasPrefix("http://") { continue }
                await chosenEndpoints.store(candidate.baseURL, for: domain)
                return candidate
            } catch {
                failure = RegistryFailure.unreachable(method: .GET, url: candidate.baseURL + "/v2/", error: error)
            }
        }
        throw failure
    }

    /// Where a pull looks, in order: for Docker Hub the mirrors, then the registry's own endpoint.
    public func pullEndpoints(for domain: String) async throws(ImageError) -> [RegistryEndpoint] {
        let mirrors = RegistryEndpoint.endpoints(for: domain, options: options).filter(\.isMirror)
        return mirrors + [try await endpoint(for: domain)]
    }

    /// A session with another token scope (`registry:catalog:*`, or none for a login check).
    func session(_ endpoint: RegistryEndpoint, scope: String, credentials: RegistryCredentials?) -> RegistrySession {
        RegistrySession(client: self, endpoint: endpoint, scope: scope, repository: "", credentials: credentials)
    }

    /// The repository path a registry knows `reference` by: Docker Hub's official images under `library/`.
    public static func remotePath(of reference: ImageReference) -> String {
        if reference.domain == nil, !reference.path.contains("/") { return "library/" + reference.path }
        return reference.path
    }
}

/// Text remembered by key: the `Authorization` values a client has earned (by `endpoint|scope`), and the base URL
/// that answered for each registry domain.
actor TextCache {
    private var values: [String: String] = [:]

    /// The cached value for `key`.
    func value(for key: String) -> String? { values[key] }

    /// Remembers `value` for `key`.
    func store(_ value: String, for key: String) { values[key] = value }
}
