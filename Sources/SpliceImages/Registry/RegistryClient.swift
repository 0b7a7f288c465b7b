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
    let authorizations = AuthorizationCache()

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

/// The `Authorization` header values a client has earned, by `endpoint|scope`.
actor AuthorizationCache {
    private var values: [String: String] = [:]

    /// The cached value for `key`.
    func value(for key: String) -> String? { values[key] }

    /// Remembers `value` for `key`.
    func store(_ value: String, for key: String) { values[key] = value }
}
