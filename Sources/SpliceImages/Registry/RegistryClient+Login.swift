extension RegistryClient {
    /// The registry a login or search names: `docker.io` for Docker Hub's spellings
    /// (`https://index.docker.io/v1/`, `index.docker.io`), else the `HOST[:PORT]` without a scheme or path.
    public static func registryDomain(of serverAddress: String?) -> String {
        guard var text = serverAddress, !text.isEmpty else { return ImageReference.defaultDomain }
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) {
            text = String(text.dropFirst(scheme.count))
        }
        text = String(text.prefix { $0 != "/" })
        if text == RegistryEndpoint.dockerHubIndexHost || text == RegistryEndpoint.dockerHubHost
            || text == ImageReference.defaultDomain
        {
            return ImageReference.defaultDomain
        }
        return text
    }

    /// Checks `credentials` against the registry at `domain` as `docker login` does (`GET /v2/`, answering its
    /// challenge); a registry without authentication accepts any. Fails in dockerd's words.
    public func login(domain: String, credentials: RegistryCredentials) async throws(ImageError) {
        let endpoint = try await endpoint(for: domain)
        let session = session(endpoint, scope: "", credentials: credentials)
        let response = try await session.send(.GET, "/v2/")
        _ = try? await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else {
            throw ImageError(.internal, "login attempt to \(endpoint.baseURL)/v2/ failed with status: "
                                + "\(response.status.code) \(response.status.reasonPhrase)")
        }
    }
}
