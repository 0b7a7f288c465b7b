import Glibc
import SpliceImages
import Synchronization

/// The daemon's registry clients, one per set of registry options, made at first use and kept for the process's
/// life (an HTTP client must not be dropped without a shutdown, and its connections are worth keeping).
enum RegistryClients {
    /// The clients by their options' text.
    private static let clients = Mutex<[String: RegistryClient]>([:])

    /// The environment variable that sets the push chunk size in bytes (blobs above it go in chunks of it).
    static let chunkSizeVariable = "SPLICE_REGISTRY_CHUNK_SIZE"

    /// The push chunk size: `SPLICE_REGISTRY_CHUNK_SIZE` when it is a positive number, otherwise the default.
    static var uploadChunkSize: Int64 {
        guard let text = getenv(chunkSizeVariable).map({ String(cString: $0) }), let size = Int64(text), size > 0
        else { return RegistryOptions.defaultUploadChunkSize }
        return size
    }

    /// The client for `--insecure-registry` values and `--registry-mirror` URLs.
    static func client(insecureRegistries: [String], mirrors: [String]) -> RegistryClient {
        let key = insecureRegistries.joined(separator: ",") + "|" + mirrors.joined(separator: ",")
        return clients.withLock { table in
            if let client = table[key] { return client }
            let client = RegistryClient(options: RegistryOptions(insecureRegistries: insecureRegistries,
                                                                 mirrors: mirrors, uploadChunkSize: uploadChunkSize))
            table[key] = client
            return client
        }
    }
}
