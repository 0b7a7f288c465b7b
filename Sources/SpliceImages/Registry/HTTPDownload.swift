import AsyncHTTPClient
import Glibc
import NIOCore
import NIOSSL

/// A URL fetched with AsyncHTTPClient into an open file, for `docker import https://…` and a Dockerfile's
/// `ADD <url>`. An `https://` server is verified against the system roots, or, as Go programs such as dockerd do,
/// against the bundle `SSL_CERT_FILE` names.
public enum HTTPDownload {
    /// The environment variable naming a CA bundle that replaces the system roots.
    public static let certificateFileVariable = "SSL_CERT_FILE"

    /// Downloads `url` into `fileDescriptor`; a status other than 200, a certificate that does not verify or a
    /// dropped connection is an error in dockerd's form (`Get "URL": …`).
    public static func fetch(_ url: String, into fileDescriptor: Int32) async throws(ImageError) {
        let client = makeClient()
        do {
            try await download(url, with: client, into: fileDescriptor)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try? await client.shutdown()
    }

    /// A client that follows redirects, verifies as the type's summary says and leaves bodies as sent.
    static func makeClient() -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let bundle = getenv(certificateFileVariable).map({ String(cString: $0) }), !bundle.isEmpty {
            tls.trustRoots = .file(bundle)
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.redirectConfiguration = .follow(max: 10, allowCycles: false)
        configuration.timeout.connect = .seconds(30)
        configuration.decompression = .disabled
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Copies `buffer` to `fileDescriptor`; false when a write failed.
    static func write(_ buffer: ByteBuffer, to fileDescriptor: Int32) -> Bool {
        buffer.withUnsafeReadableBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let count = Glibc.write(fileDescriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return false }
                offset += count
            }
            return true
        }
    }

    /// The request and the copy of its body.
    private static func download(_ url: String, with client: HTTPClient, into fileDescriptor: Int32)
        async throws(ImageError)
    {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(HTTPClientRequest(url: url), timeout: .minutes(30))
        } catch {
            throw ImageError(.invalidArgument, "Get \"\(url)\": \(error)")
        }
        guard response.status == .ok else {
            let status = "\(response.status.code) \(response.status.reasonPhrase)"
            throw ImageError(.invalidArgument, "Get \"\(url)\": \(status)")
        }
        do {
            for try await buffer in response.body {
                if !write(buffer, to: fileDescriptor) { throw ImageError.system(.current("write", path: url)) }
            }
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError(.invalidArgument, "Get \"\(url)\": \(error)")
        }
    }
}
