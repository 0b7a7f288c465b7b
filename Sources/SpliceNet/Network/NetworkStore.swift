import FoundationEssentials
import SystemKit

/// Splice's network state on disk: one JSON file per network and per endpoint under `<state>/network`,
/// each replaced atomically, all changes under one lock so concurrent processes see a consistent store.
public struct NetworkStore: Sendable {
    public let directory: String

    public init(stateDirectory: String) throws(NetworkError) {
        directory = stateDirectory + "/network"
        do {
            try AtomicFile.makeDirectories(directory + "/networks")
            try AtomicFile.makeDirectories(directory + "/endpoints")
        } catch {
            throw NetworkError(wrapping: error)
        }
    }

    /// Holds the store's lock while `body` runs.
    public func locked<T>(_ body: () throws(NetworkError) -> T) throws(NetworkError) -> T {
        let lock: FileLock
        do { lock = try FileLock(path: directory + "/lock") } catch { throw NetworkError(wrapping: error) }
        defer { lock.unlock() }
        return try body()
    }

    public func networks() throws(NetworkError) -> [NetworkRecord] {
        try Directory.entries(directory + "/networks").filter { $0.hasSuffix(".json") }.sorted().map {
            (name) throws(NetworkError) in try load(NetworkRecord.self, directory + "/networks/" + name)
        }.compactMap { $0 }
    }

    public func network(named name: String) throws(NetworkError) -> NetworkRecord? {
        try load(NetworkRecord.self, networkPath(name))
    }

    public func save(_ record: NetworkRecord) throws(NetworkError) {
        try store(record, networkPath(record.options.name))
    }

    public func removeNetwork(named name: String) throws(NetworkError) {
        do { try AtomicFile.remove(networkPath(name)) } catch { throw NetworkError(wrapping: error) }
    }

    public func endpoints() throws(NetworkError) -> [EndpointRecord] {
        try Directory.entries(directory + "/endpoints").filter { $0.hasSuffix(".json") }.sorted().map {
            (name) throws(NetworkError) in try load(EndpointRecord.self, directory + "/endpoints/" + name)
        }.compactMap { $0 }
    }

    /// The (sandbox, network) keys of every endpoint, from file names alone (no file is read).
    public func endpointKeys() -> [(sandbox: String, network: String)] {
        Directory.entries(directory + "/endpoints").compactMap { name in
            guard name.hasSuffix(".json"), let at = name.lastIndex(of: "@") else { return nil }
            return (String(name[..<at]), String(name[name.index(after: at)...].dropLast(".json".count)))
        }
    }

    /// One endpoint, or nil.
    public func endpoint(sandbox: String, network: String) throws(NetworkError) -> EndpointRecord? {
        try load(EndpointRecord.self, endpointPath(sandbox: sandbox, network: network))
    }

    public func save(_ endpoint: EndpointRecord) throws(NetworkError) {
        try store(endpoint, endpointPath(sandbox: endpoint.sandbox, network: endpoint.network))
    }

    public func removeEndpoint(sandbox: String, network: String) throws(NetworkError) {
        do { try AtomicFile.remove(endpointPath(sandbox: sandbox, network: network)) } catch {
            throw NetworkError(wrapping: error)
        }
    }

    private func networkPath(_ name: String) -> String { "\(directory)/networks/\(name).json" }

    private func endpointPath(sandbox: String, network: String) -> String {
        "\(directory)/endpoints/\(sandbox)@\(network).json"
    }

    private func load<T: Decodable>(_ type: T.Type, _ path: String) throws(NetworkError) -> T? {
        let bytes: [UInt8]?
        do { bytes = try AtomicFile.read(path) } catch { throw NetworkError(wrapping: error) }
        guard let bytes else { return nil }
        do { return try JSONDecoder().decode(T.self, from: Data(bytes)) } catch {
            throw NetworkError(.internal, "corrupt state file \(path): \(error)")
        }
    }

    private func store<T: Encodable>(_ value: T, _ path: String) throws(NetworkError) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(Array(try encoder.encode(value)), to: path)
        } catch {
            throw NetworkError(wrapping: error)
        }
    }
}
