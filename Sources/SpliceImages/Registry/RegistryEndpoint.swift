import Glibc
import NIOSSL
import SystemKit

/// One place a registry's v2 API is reached: `https://registry-1.docker.io`, `http://127.0.0.1:5000`, or a mirror,
/// with the TLS settings for its host.
public struct RegistryEndpoint: Hashable, Sendable {
    /// The name in references and credentials: `docker.io`, `127.0.0.1:5000`.
    public let domain: String
    /// The URL prefix requests go to, without a trailing slash: `http://127.0.0.1:5000`.
    public let baseURL: String
    /// Whether the endpoint is a mirror of `domain` rather than the registry itself.
    public let isMirror: Bool
    /// Whether the server's certificate goes unchecked: HTTPS to an insecure registry without a `ca.crt`, as
    /// dockerd does.
    public let skipsVerification: Bool
    /// The host's CA certificate file, when `/etc/docker/certs.d/HOST/ca.crt` exists.
    public let caCertificatePath: String?
    /// The client certificate and key beside it (`client.cert`, `client.key`), when both exist.
    public let clientCertificate: (certificate: String, key: String)?

    /// Docker Hub's API host.
    public static let dockerHubHost = "registry-1.docker.io"
    /// Docker Hub's v1 index host (search).
    public static let dockerHubIndexHost = "index.docker.io"

    /// Compares endpoints by URL.
    public static func == (lhs: RegistryEndpoint, rhs: RegistryEndpoint) -> Bool {
        lhs.baseURL == rhs.baseURL && lhs.isMirror == rhs.isMirror
    }

    /// Hashes the URL.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(baseURL)
        hasher.combine(isMirror)
    }

    /// Creates an endpoint for `domain` at `baseURL`, looking up the host's certificates under `options`.
    init(domain: String, baseURL: String, isMirror: Bool, options: RegistryOptions, skipsVerification: Bool = false) {
        self.domain = domain
        self.baseURL = baseURL
        self.isMirror = isMirror
        let host = RegistryEndpoint.hostPort(of: baseURL)
        let directory = "\(options.certificatesDirectory)/\(host)"
        caCertificatePath = access(directory + "/ca.crt", R_OK) == 0 ? directory + "/ca.crt" : nil
        if access(directory + "/client.cert", R_OK) == 0, access(directory + "/client.key", R_OK) == 0 {
            clientCertificate = (directory + "/client.cert", directory + "/client.key")
        } else {
            clientCertificate = nil
        }
        self.skipsVerification = skipsVerification && caCertificatePath == nil
    }

    /// The endpoints to try for `domain`, in order: for Docker Hub the mirrors first when `pulling`, then the
    /// registry; for loopback hosts and `--insecure-registry` ones HTTPS without certificate checks and then plain
    /// HTTP (as dockerd tries them), every other over HTTPS.
    public static func endpoints(for domain: String, options: RegistryOptions, pulling: Bool = true)
        -> [RegistryEndpoint]
    {
        if domain == ImageReference.defaultDomain || domain == dockerHubIndexHost {
            var list: [RegistryEndpoint] = []
            if pulling {
                for mirror in options.mirrors {
                    let url = mirror.hasSuffix("/") ? String(mirror.dropLast()) : mirror
                    list.append(RegistryEndpoint(domain: ImageReference.defaultDomain, baseURL: url, isMirror: true,
                                                 options: options))
                }
            }
            list.append(RegistryEndpoint(domain: ImageReference.defaultDomain, baseURL: "https://\(dockerHubHost)",
                                         isMirror: false, options: options))
            return list
        }
        guard isInsecure(domain, options: options) else {
            return [RegistryEndpoint(domain: domain, baseURL: "https://\(domain)", isMirror: false, options: options)]
        }
        return [
            RegistryEndpoint(domain: domain, baseURL: "https://\(domain)", isMirror: false, options: options,
                             skipsVerification: true),
            RegistryEndpoint(domain: domain, baseURL: "http://\(domain)", isMirror: false, options: options),
        ]
    }

    /// Whether `domain` is reached over plain HTTP: a loopback host, or named by `--insecure-registry` (as
    /// `HOST[:PORT]`, or a CIDR holding the host's address).
    public static func isInsecure(_ domain: String, options: RegistryOptions) -> Bool {
        let host = hostOnly(domain)
        if host == "localhost" { return true }
        let address = IPAddress(host)
        if let address, isLoopback(address) { return true }
        for entry in options.insecureRegistries {
            if entry == domain || entry == host { return true }
            if let network = IPNetwork(entry), let address, network.contains(address) { return true }
        }
        return false
    }

    /// The host of `domain` without its port or IPv6 brackets.
    static func hostOnly(_ domain: String) -> String {
        if domain.hasPrefix("["), let close = domain.firstIndex(of: "]") {
            return String(domain[domain.index(after: domain.startIndex)..<close])
        }
        if let colon = domain.lastIndex(of: ":"), domain.firstIndex(of: ":") == colon {
            return String(domain[..<colon])
        }
        return domain
    }

    /// Whether `address` is in 127.0.0.0/8 or is `::1`.
    static func isLoopback(_ address: IPAddress) -> Bool {
        switch address {
        case .v4: return address.bytes.first == 127
        case .v6: return address.bytes == Array(repeating: 0, count: 15) + [1]
        }
    }

    /// `HOST[:PORT]` of a URL.
    static func hostPort(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        return String(rest.prefix { $0 != "/" })
    }

    /// The TLS settings for this endpoint's host: the system roots plus `ca.crt`, and the client pair.
    func tlsConfiguration() throws(ImageError) -> TLSConfiguration? {
        guard baseURL.hasPrefix("https://") else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if skipsVerification { configuration.certificateVerification = .none }
        do {
            if let caCertificatePath {
                let certificates = try NIOSSLCertificate.fromPEMFile(caCertificatePath)
                configuration.trustRoots = .default
                configuration.additionalTrustRoots = [.certificates(certificates)]
            }
            if let clientCertificate {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificate.certificate)
                    .map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: clientCertificate.key, format: .pem))
            }
        } catch {
            throw ImageError(.invalidArgument, "cannot load the certificates of \(domain) from "
                                + "\(caCertificatePath ?? clientCertificate?.certificate ?? ""): \(error)")
        }
        return configuration
    }
}
