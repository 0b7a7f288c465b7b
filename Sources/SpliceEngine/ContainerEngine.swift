import Glibc
import SpliceImages
import SpliceNet
import SpliceRuntime
import struct EngineErrors.EngineError

/// The container engine: the registry of containers, their state machine (created → running → exited →
/// removed), persisted under `<graph>/containers/<id>/`, and the glue to images, network and runtime.
///
/// An actor that never blocks: network and runtime calls run on their own queues.
public actor ContainerEngine {
    /// Paths and binaries.
    public nonisolated let configuration: EngineConfiguration
    /// The image store.
    public nonisolated let images: ImageStore
    /// The network, nil when the engine runs without one (hermetic tests): then only `--net=host` starts.
    let network: NetworkService?
    let store: ContainerRecordStore
    var records: [String: ContainerRecord] = [:]
    /// What the engine keeps in memory of each container, beside its record (`ContainerEngine+LiveState`).
    var live: [String: ContainerLiveState] = [:]
    /// The daemon's event log (`GET /events`).
    public nonisolated let events = EventLog()
    /// Exec instances by id.
    var execs: [String: ExecRecord] = [:]
    /// Starts each container's `splice-init` by a fork of one kept running (`InitServer`).
    nonisolated let launcher: InitLauncher

    /// Opens the engine on `configuration.graph` and reconciles the records with what is alive.
    public init(configuration: EngineConfiguration, network: NetworkService?) async throws {
        self.configuration = configuration
        self.network = network
        launcher = InitLauncher(initPath: configuration.initPath, servedDirectory: configuration.containersDirectory)
        images = try ImageStore(root: configuration.imagesDirectory)
        store = try ContainerRecordStore(directory: configuration.containersDirectory)
        for record in store.loadAll() { records[record.id] = record }
        await reconcile()
        launcher.prepare()
    }

    /// The state directory `splice-init` uses for container `id`.
    func runDirectory(of id: String) -> String { store.path(of: id) + "/run" }

    /// Resolves a reference to an id.
    func resolve(_ reference: String) throws(EngineError) -> String {
        try ContainerLookup.resolve(reference, in: records.mapValues(\.name))
    }

    /// The record `reference` names.
    public func container(_ reference: String) throws(EngineError) -> ContainerRecord {
        let id = try resolve(reference)
        guard let record = records[id] else { throw .noSuchContainer(reference) }
        return record
    }

    /// Containers, newest first; stopped ones only with `all`.
    public func containers(all: Bool) -> [ContainerRecord] {
        records.values.filter { all || $0.state.isListed }
            .sorted { ($0.createdSeconds, $0.created) > ($1.createdSeconds, $1.created) }
    }

    /// The path of container `id`'s json-file log.
    public func logPath(of id: String) -> String { StateDirectory(runDirectory(of: id)).containerLog }

    /// Waits until the network work queued for exited containers is done, and stops the `splice-init` server
    /// (before the daemon stops).
    public func quiesce() async {
        await network?.drain()
        launcher.stop()
    }

    /// Numbers for `/info`: total, running (restarting included, as dockerd counts it), stopped (neither running
    /// nor paused; `statusCounts()` has the paused ones).
    public func counts() -> (total: Int, running: Int, stopped: Int) {
        let running = records.values.filter { $0.state.status == .running || $0.state.status == .restarting }.count
        let paused = records.values.filter { $0.state.status == .paused }.count
        return (records.count, running, records.count - running - paused)
    }

    /// How many containers are in each status (for `/info`'s Running/Paused/Stopped).
    public func statusCounts() -> [ContainerStatus: Int] {
        records.values.reduce(into: [:]) { counts, record in counts[record.state.status, default: 0] += 1 }
    }
}
