/// What `POST /containers/{id}/update` changes; nil keeps the current value.
public struct ResourceUpdate: Sendable, Equatable {
    /// New memory limit in bytes.
    public var memory: Int64?
    /// New memory-plus-swap limit in bytes (-1 unlimited).
    public var memorySwap: Int64?
    /// New CPU shares.
    public var cpuShares: Int64?
    /// New cpuset.
    public var cpusetCpus: String?
    /// New task limit (0 or -1: unlimited).
    public var pidsLimit: Int64?
    /// New block I/O weight.
    public var blkioWeight: Int?
    /// New restart policy.
    public var restartPolicy: RestartPolicy?

    /// Creates an update.
    public init(memory: Int64? = nil, memorySwap: Int64? = nil, cpuShares: Int64? = nil, cpusetCpus: String? = nil,
                pidsLimit: Int64? = nil, blkioWeight: Int? = nil, restartPolicy: RestartPolicy? = nil) {
        self.memory = memory
        self.memorySwap = memorySwap
        self.cpuShares = cpuShares
        self.cpusetCpus = cpusetCpus
        self.pidsLimit = pidsLimit
        self.blkioWeight = blkioWeight
        self.restartPolicy = restartPolicy
    }
}
