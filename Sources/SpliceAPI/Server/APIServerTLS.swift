/// TLS settings of the TCP listeners, as dockerd's `--tls`, `--tlsverify`, `--tlscacert`, `--tlscert`, `--tlskey`.
public struct APIServerTLS: Sendable, Equatable {
    /// PEM file of the server certificate (chain).
    public var certificatePath: String
    /// PEM file of the server's private key.
    public var keyPath: String
    /// PEM file of the CA that client certificates must be signed by; required when `verifyClients`.
    public var caPath: String?
    /// Mutual TLS (`--tlsverify`): refuse clients without a certificate signed by `caPath`.
    public var verifyClients: Bool

    /// Creates TLS settings.
    public init(certificatePath: String, keyPath: String, caPath: String? = nil, verifyClients: Bool = false) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.caPath = caPath
        self.verifyClients = verifyClients
    }
}

extension APIServerTLS {
    /// Loads every file and builds the TLS context once, so that a missing, unreadable or mismatched file is
    /// reported before a daemon starts anything else.
    public func validate() throws(APIServerError) {
        _ = try TLSContextLoader.load(self)
    }
}
