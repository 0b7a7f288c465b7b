import FoundationEssentials

extension RegistryClient {
    /// Searches the registry `term` names (`127.0.0.1:5000/bb`, or Docker Hub for a bare term): its `/v1/search`
    /// where it has one, else its v2 catalog filtered by the term. At most `limit` results.
    public func search(_ term: String, limit: Int, credentials: RegistryCredentials?) async throws(ImageError)
        -> [SearchResult]
    {
        var domain = ImageReference.defaultDomain
        var query = term
        if let slash = term.firstIndex(of: "/") {
            let first = String(term[..<slash])
            if first.contains(".") || first.contains(":") || first == "localhost" {
                domain = RegistryClient.registryDomain(of: first)
                query = String(term[term.index(after: slash)...])
            }
        }
        let endpoint: RegistryEndpoint
        if domain == ImageReference.defaultDomain {
            endpoint = RegistryEndpoint(domain: domain, baseURL: "https://\(RegistryEndpoint.dockerHubIndexHost)",
                                        isMirror: false, options: options)
        } else {
            endpoint = try await self.endpoint(for: domain)
        }
        let plain = session(endpoint, scope: "", credentials: credentials)
        let response = try await plain.send(.GET, "/v1/search?q=\(URLQuery.escape(query))&n=\(limit)")
        let bytes = try await RegistrySession.collect(response, limit: 8 << 20)
        if response.status == .ok {
            struct Answer: Decodable { var results: [SearchResult]? }
            if let answer = try? JSONDecoder().decode(Answer.self, from: Data(bytes)), let results = answer.results {
                return Array(results.prefix(limit))
            }
        }
        guard response.status == .notFound || response.status == .ok, domain != ImageReference.defaultDomain else {
            throw RegistryFailure.unexpected(response, body: bytes, what: "cannot search \(domain)")
        }
        let catalog = session(endpoint, scope: "registry:catalog:*", credentials: credentials)
        let listed = try await catalog.send(.GET, "/v2/_catalog?n=1000")
        let listing = try await RegistrySession.collect(listed, limit: 32 << 20)
        guard listed.status == .ok else {
            throw RegistryFailure.unexpected(listed, body: listing, what: "cannot list the catalog of \(domain)")
        }
        struct Catalog: Decodable { var repositories: [String]? }
        let names = (try? JSONDecoder().decode(Catalog.self, from: Data(listing)))?.repositories ?? []
        let needle = query.lowercased()
        return names.filter { needle.isEmpty || $0.lowercased().contains(needle) }.prefix(limit)
            .map { SearchResult(name: "\(domain)/\($0)") }
    }
}
