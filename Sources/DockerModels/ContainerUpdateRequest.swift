/// The body of `POST /containers/{id}/update` (`update.txt`): the resources to change (0, empty or null
/// means "keep") and the restart policy.
public struct ContainerUpdateRequest: Codable, Sendable, Equatable {
    /// CPU shares (relative weight).
    public var CpuShares: Int64?
    /// Memory limit in bytes.
    public var Memory: Int64?
    /// Memory plus swap in bytes; -1 for unlimited swap.
    public var MemorySwap: Int64?
    /// Memory soft limit in bytes.
    public var MemoryReservation: Int64?
    /// CPUs allowed (`0-1`).
    public var CpusetCpus: String?
    /// Memory nodes allowed.
    public var CpusetMems: String?
    /// Task limit; 0 or -1 for unlimited.
    public var PidsLimit: Int64?
    /// CPU quota in billionths of a CPU (`--cpus`).
    public var NanoCpus: Int64?
    /// CFS quota in microseconds.
    public var CpuQuota: Int64?
    /// CFS period in microseconds.
    public var CpuPeriod: Int64?
    /// Block I/O weight (10–1000).
    public var BlkioWeight: UInt16?
    /// The new restart policy; an empty `Name` keeps the current one.
    public var RestartPolicy: HostConfig.RestartPolicy?
    /// Real-time scheduling period in microseconds (`--cpu-rt-period`).
    public var CpuRealtimePeriod: Int64?
    /// Real-time scheduling runtime in microseconds (`--cpu-rt-runtime`).
    public var CpuRealtimeRuntime: Int64?
    /// Kernel memory limit in bytes (`--kernel-memory`, deprecated).
    public var KernelMemory: Int64?
    /// Kernel TCP buffer memory limit in bytes.
    public var KernelMemoryTCP: Int64?

    /// Creates an update request.
    public init(CpuShares: Int64? = nil, Memory: Int64? = nil, MemorySwap: Int64? = nil,
                MemoryReservation: Int64? = nil, CpusetCpus: String? = nil, CpusetMems: String? = nil,
                PidsLimit: Int64? = nil, NanoCpus: Int64? = nil, CpuQuota: Int64? = nil, CpuPeriod: Int64? = nil,
                BlkioWeight: UInt16? = nil, RestartPolicy: HostConfig.RestartPolicy? = nil) {
        self.CpuShares = CpuShares
        self.Memory = Memory
        self.MemorySwap = MemorySwap
        self.MemoryReservation = MemoryReservation
        self.CpusetCpus = CpusetCpus
        self.CpusetMems = CpusetMems
        self.PidsLimit = PidsLimit
        self.NanoCpus = NanoCpus
        self.CpuQuota = CpuQuota
        self.CpuPeriod = CpuPeriod
        self.BlkioWeight = BlkioWeight
        self.RestartPolicy = RestartPolicy
    }
}
