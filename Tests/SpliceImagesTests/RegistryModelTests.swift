import SpliceImages
import Testing

/// The registry client's pure parts: challenges, manifest and index selection, endpoints and names.
@Suite struct RegistryModelTests {
    @Test func bearerChallenge() throws {
        let challenge = try #require(AuthChallenge(parsing:
            #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/bb:pull""#))
        #expect(challenge.scheme == "bearer")
        #expect(challenge.parameters == ["realm": "https://auth.docker.io/token", "service": "registry.docker.io",
                                         "scope": "repository:library/bb:pull"])
    }

    @Test func basicChallenge() throws {
        let challenge = try #require(AuthChallenge(parsing: #"Basic realm="basic-realm""#))
        #expect(challenge.scheme == "basic")
        #expect(challenge.parameters == ["realm": "basic-realm"])
    }

    static let index = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:\(String(repeating: "a", count: 64))","platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:\(String(repeating: "b", count: 64))","platform":{"architecture":"amd64","os":"linux"}}]}
        """

    @Test func indexChoosesLinuxAmd64() throws {
        let document = try ManifestDocument(bytes: Array(Self.index.utf8), contentType: nil)
        guard case .index(let entries) = document else {
            Issue.record("an index was read as \(document)")
            return
        }
        let chosen = try ManifestDocument.select(from: entries, reference: "bb:latest")
        #expect(chosen.digest.hex == String(repeating: "b", count: 64))
    }

    @Test func indexWithoutTheHostPlatformIsAClearError() throws {
        let document = try ManifestDocument(bytes: Array(Self.index.replacing("amd64", with: "s390x").utf8),
                                            contentType: nil)
        guard case .index(let entries) = document else {
            Issue.record("an index was read as \(document)")
            return
        }
        #expect(throws: ImageError(.notFound, "no matching manifest for linux/amd64 in the manifest list entries of "
                                        + "bb:latest (it has linux/arm64, linux/s390x)")) {
            try ManifestDocument.select(from: entries, reference: "bb:latest")
        }
    }

    @Test func dockerSchema2Manifest() throws {
        let text = """
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7,"digest":"sha256:\(String(repeating: "c", count: 64))"},
             "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":9,"digest":"sha256:\(String(repeating: "d", count: 64))"}]}
            """
        guard case .manifest(let manifest) = try ManifestDocument(bytes: Array(text.utf8), contentType: nil) else {
            Issue.record("a manifest was read as an index")
            return
        }
        #expect(manifest.layers.map(\.size) == [9])
        #expect(manifest.config.digest.hex == String(repeating: "c", count: 64))
    }

    @Test func schema1IsRefused() {
        #expect(throws: ImageError.self) {
            try ManifestDocument(bytes: Array(#"{"schemaVersion":1,"name":"x","fsLayers":[]}"#.utf8), contentType: nil)
        }
    }

    @Test func endpoints() {
        let options = RegistryOptions(insecureRegistries: ["10.1.0.0/16", "reg.example:5000"],
                                      mirrors: ["http://127.0.0.1:5001/"], certificatesDirectory: "/nonexistent")
        #expect(RegistryEndpoint.endpoints(for: "docker.io", options: options).map(\.baseURL)
                    == ["http://127.0.0.1:5001", "https://registry-1.docker.io"])
        #expect(RegistryEndpoint.endpoints(for: "docker.io", options: options, pulling: false).map(\.baseURL)
                    == ["https://registry-1.docker.io"])
        // Insecure registries: HTTPS without certificate checks first, then plain HTTP, as dockerd tries them.
        for domain in ["127.0.0.1:5000", "localhost:5000", "10.1.2.3:5000", "reg.example:5000"] {
            let endpoints = RegistryEndpoint.endpoints(for: domain, options: options)
            #expect(endpoints.map(\.baseURL) == ["https://\(domain)", "http://\(domain)"])
            #expect(endpoints.first?.skipsVerification == true)
        }
        #expect(RegistryEndpoint.endpoints(for: "10.2.0.1", options: options).map(\.baseURL) == ["https://10.2.0.1"])
    }

    @Test(arguments: [
        ("bb", "library/bb"), ("user/app", "user/app"), ("docker.io/library/bb:1", "library/bb"),
        ("127.0.0.1:5000/bb", "bb"), ("127.0.0.1:5000/a/b@sha256:" + String(repeating: "e", count: 64), "a/b"),
    ])
    func remotePath(text: String, path: String) throws {
        #expect(RegistryClient.remotePath(of: try ImageReference(parsing: text)) == path)
    }

    @Test(arguments: [
        (nil, "docker.io"), ("https://index.docker.io/v1/", "docker.io"), ("127.0.0.1:5000", "127.0.0.1:5000"),
        ("http://127.0.0.1:5000/v2/", "127.0.0.1:5000"), ("registry-1.docker.io", "docker.io"),
    ] as [(String?, String)])
    func registryDomain(server: String?, domain: String) {
        #expect(RegistryClient.registryDomain(of: server) == domain)
    }
}
