#if canImport(Glibc)
import Glibc
#endif
import NIOSSL

/// Turns `APIServerTLS` into an `NIOSSLContext`, checking each file first so that a missing, unreadable or
/// mismatched file is reported by name before anything listens.
enum TLSContextLoader {
    /// Loads the certificate, key and CA and builds the server context.
    static func load(_ tls: APIServerTLS) throws(APIServerError) -> NIOSSLContext {
        if tls.verifyClients, tls.caPath == nil {
            throw .tls(what: "CA certificate", path: "", reason: "--tlsverify needs --tlscacert")
        }
        try readable(tls.certificatePath, what: "certificate")
        try readable(tls.keyPath, what: "private key")
        if let ca = tls.caPath { try readable(ca, what: "CA certificate") }
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(tls.certificatePath) } catch {
            throw .tls(what: "certificate", path: tls.certificatePath, reason: "not a PEM certificate (\(error))")
        }
        guard !chain.isEmpty else {
            throw .tls(what: "certificate", path: tls.certificatePath, reason: "no PEM certificate in the file")
        }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: tls.keyPath, format: .pem) } catch {
            throw .tls(what: "private key", path: tls.keyPath, reason: "not a PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                     privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let caPath = tls.caPath {
            let roots: [NIOSSLCertificate]
            do { roots = try NIOSSLCertificate.fromPEMFile(caPath) } catch {
                throw .tls(what: "CA certificate", path: caPath, reason: "not a PEM certificate (\(error))")
            }
            guard !roots.isEmpty else {
                throw .tls(what: "CA certificate", path: caPath, reason: "no PEM certificate in the file")
            }
            configuration.trustRoots = .certificates(roots)
            configuration.sendCANameList = true
        }
        configuration.certificateVerification = tls.verifyClients ? .noHostnameVerification : .none
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tls(what: "certificate and key", path: tls.certificatePath + ", " + tls.keyPath,
                       reason: "they do not form a usable pair: the key must match the certificate (\(error))")
        }
    }

    /// Throws when `path` cannot be opened for reading, with the system's reason.
    private static func readable(_ path: String, what: String) throws(APIServerError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw .tls(what: what, path: path, reason: reason)
        }
        close(fd)
    }
}
