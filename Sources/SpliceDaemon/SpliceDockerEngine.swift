import SpliceAPI
import SpliceEngine
import struct EngineErrors.EngineError

/// The Docker Engine API served by Splice's container engine: the `DockerEngine` the API server calls.
/// Endpoints outside the current slice throw `unavailable`.
public final class SpliceDockerEngine: DockerEngine {
    /// The engine behind the API.
    public let engine: ContainerEngine
    /// The version shown by `/version` and `/info`.
    public let serverVersion: String
    /// Whether the daemon runs with debug output (`-D`).
    public let debug: Bool
    /// The daemon settings `/info` shows.
    public let settings: DaemonInfoSettings
    /// This host's cluster agent (`--cluster-store`), for global (overlay) networks; nil without one.
    let cluster: ClusterAgent?

    /// Wraps `engine`.
    public convenience init(engine: ContainerEngine, serverVersion: String = "0.1.0", debug: Bool = false,
                            settings: DaemonInfoSettings = DaemonInfoSettings()) {
        self.init(engine: engine, serverVersion: serverVersion, debug: debug, settings: settings, cluster: nil)
    }

    init(engine: ContainerEngine, serverVersion: String = "0.1.0", debug: Bool = false,
         settings: DaemonInfoSettings = DaemonInfoSettings(), cluster: ClusterAgent?) {
        self.cluster = cluster
        self.engine = engine
        self.serverVersion = serverVersion
        self.debug = debug
        self.settings = settings
    }

    /// Runs `body`, turning engine and image errors into `EngineError`s.
    func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.internal, "\(error)", cause: error)
        }
    }

    /// The error of endpoints not in this slice.
    static func notImplemented(_ what: String) -> EngineError {
        EngineError(.unavailable, "not implemented yet: \(what)")
    }
}
