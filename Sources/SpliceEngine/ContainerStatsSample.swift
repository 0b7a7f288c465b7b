import SpliceRuntime

/// One reading of a container's counters for `GET /containers/{id}/stats`: its cgroup's, the host's and its
/// interfaces', taken together.
public struct ContainerStatsSample: Sendable, Equatable {
    /// The container's ID.
    public var id: String
    /// The container's name (without `/`).
    public var name: String
    /// Whether it was running (else every counter is empty, as dockerd answers for a stopped container).
    public var running: Bool
    /// Wall-clock time of the reading, nanoseconds since the epoch.
    public var timeNanoseconds: Int64
    /// The cgroup's counters.
    public var cgroup: CgroupStats
    /// The host's CPU time (`system_cpu_usage`).
    public var systemCPUNanoseconds: UInt64?
    /// CPUs online.
    public var onlineCPUs: UInt32
    /// Installed memory (the memory limit shown when the cgroup's is higher or unset).
    public var hostMemoryBytes: UInt64?
    /// The interfaces of its network namespace; nil with `--net=host` or when it has none but the loopback.
    public var interfaces: [InterfaceCounters]?

    /// Creates a sample.
    public init(id: String, name: String, running: Bool, timeNanoseconds: Int64, cgroup: CgroupStats = CgroupStats(),
                systemCPUNanoseconds: UInt64? = nil, onlineCPUs: UInt32 = 1, hostMemoryBytes: UInt64? = nil,
                interfaces: [InterfaceCounters]? = nil) {
        self.id = id
        self.name = name
        self.running = running
        self.timeNanoseconds = timeNanoseconds
        self.cgroup = cgroup
        self.systemCPUNanoseconds = systemCPUNanoseconds
        self.onlineCPUs = onlineCPUs
        self.hostMemoryBytes = hostMemoryBytes
        self.interfaces = interfaces
    }
}
