/// What `POST /containers/{id}/update` changes; nil (or Docker's 0 / empty) keeps the current value.
public struct ResourceUpdate: Sendable, Equatable {
    /// New memory limit in bytes.
    public var memory: Int64?
    /// New memory-plus-swap limit in bytes (-1 unlimited).
    public var memorySwap: Int64?
    /// New memory soft limit in bytes.
    public var memoryReservation: Int64?
    /// New CPU shares.
    public var cpuShares: Int64?
    /// New CPU quota in billionths of a CPU (`--cpus`).
    public var nanoCpus: Int64?
    /// New CFS quota in microseconds.
    public var cpuQuota: Int64?
    /// New CFS period in microseconds.
    public var cpuPeriod: Int64?
    /// New cpuset.
    public var cpusetCpus: String?
    /// New memory nodes.
    public var cpusetMems: String?
    /// New task limit (-1: unlimited).
    public var pidsLimit: Int64?
    /// New block I/O weight.
    public var blkioWeight: Int?
    /// New restart policy.
    public var restartPolicy: RestartPolicy?
    /// New real-time period and runtime in microseconds (`--cpu-rt-period`, `--cpu-rt-runtime`).
    public var cpuRealtimePeriod: Int64?
    public var cpuRealtimeRuntime: Int64?
    /// New kernel memory and kernel TCP memory limits in bytes (`--kernel-memory`).
    public var kernelMemory: Int64?
    public var kernelMemoryTCP: Int64?

    /// Creates an update; zeros and empty strings mean "keep", as in Docker's request.
    public init(memory: Int64? = nil, memorySwap: Int64? = nil, memoryReservation: Int64? = nil,
                cpuShares: Int64? = nil, nanoCpus: Int64? = nil, cpuQuota: Int64? = nil, cpuPeriod: Int64? = nil,
                cpusetCpus: String? = nil, cpusetMems: String? = nil, pidsLimit: Int64? = nil,
                blkioWeight: Int? = nil, restartPolicy: RestartPolicy? = nil) {
        func kept(_ value: Int64?) -> Int64? { value == 0 ? nil : value }
        self.memory = kept(memory)
        self.memorySwap = kept(memorySwap)
        self.memoryReservation = kept(memoryReservation)
        self.cpuShares = kept(cpuShares)
        self.nanoCpus = kept(nanoCpus)
        self.cpuQuota = kept(cpuQuota)
        self.cpuPeriod = kept(cpuPeriod)
        self.cpusetCpus = cpusetCpus.flatMap { $0.isEmpty ? nil : $0 }
        self.cpusetMems = cpusetMems.flatMap { $0.isEmpty ? nil : $0 }
        self.pidsLimit = kept(pidsLimit)
        self.blkioWeight = blkioWeight == 0 ? nil : blkioWeight
        self.restartPolicy = restartPolicy
    }

    /// Adds the real-time budget and kernel memory changes; zeros mean "keep", as in Docker's request.
    public mutating func setRealtimeAndKernelMemory(period: Int64?, runtime: Int64?, kernelMemory: Int64?,
                                                    kernelMemoryTCP: Int64?) {
        cpuRealtimePeriod = period == 0 ? nil : period
        cpuRealtimeRuntime = runtime == 0 ? nil : runtime
        self.kernelMemory = kernelMemory == 0 ? nil : kernelMemory
        self.kernelMemoryTCP = kernelMemoryTCP == 0 ? nil : kernelMemoryTCP
    }
}
