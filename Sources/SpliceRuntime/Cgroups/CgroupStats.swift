/// What the kernel reports about one container cgroup.
public struct CgroupStats: Sendable, Equatable {
    /// Current memory use in bytes (v1 `memory.usage_in_bytes`, v2 `memory.current`).
    public var memoryUsageBytes: UInt64?
    /// The memory limit in bytes; nil when unlimited or unknown.
    public var memoryLimitBytes: UInt64?
    /// How many times the OOM killer killed a task in the cgroup (`oom_kill` in memory.oom_control / memory.events).
    public var oomKills: UInt64?
    /// The number of tasks (`pids.current`).
    public var pidsCurrent: UInt64?
    /// The task limit; nil when unlimited (`pids.max` is `max`).
    public var pidsLimit: UInt64?
    /// CPU time; nil when the CPU accounting files are missing.
    public var cpu: CPUCounters?
    /// The highest memory use seen (v1 `memory.max_usage_in_bytes`).
    public var memoryMaxUsageBytes: UInt64?
    /// The cgroup's `memory.stat`, key by key.
    public var memoryStat: [String: UInt64]?
    /// Bytes read and written per device (v1 `blkio.throttle.io_service_bytes_recursive`, v2 `io.stat`).
    public var ioServiceBytes: [BlockIOCounter]?
    /// Operations per device (v1 `blkio.throttle.io_serviced_recursive`, v2 `io.stat`).
    public var ioServiced: [BlockIOCounter]?

    /// Creates a stats value.
    public init(
        memoryUsageBytes: UInt64? = nil, memoryLimitBytes: UInt64? = nil, oomKills: UInt64? = nil,
        pidsCurrent: UInt64? = nil, pidsLimit: UInt64? = nil
    ) {
        self.memoryUsageBytes = memoryUsageBytes
        self.memoryLimitBytes = memoryLimitBytes
        self.oomKills = oomKills
        self.pidsCurrent = pidsCurrent
        self.pidsLimit = pidsLimit
    }
}
