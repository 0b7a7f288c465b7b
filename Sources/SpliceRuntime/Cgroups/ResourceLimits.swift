/// The resource limits of one container, as Docker's run options express them.
public struct ResourceLimits: Codable, Sendable, Equatable {
    /// `-m/--memory`: hard memory limit in bytes; nil for none.
    public var memoryBytes: UInt64?
    /// `--memory-swap`: memory plus swap in bytes (Docker's meaning); -1 for unlimited swap, nil for Docker's default.
    public var memorySwapBytes: Int64?
    /// `-c/--cpu-shares`: relative CPU weight (v1 shares, 2...262144); nil or 0 for the default.
    public var cpuShares: UInt64?
    /// `--cpuset-cpus`: the CPUs allowed, such as `0-1,3`; nil for all.
    public var cpusetCpus: String?
    /// `--pids-limit`: the maximum number of tasks; nil, 0 or negative for unlimited.
    public var pidsLimit: Int64?
    /// `--blkio-weight`: relative block I/O weight (10...1000); nil or 0 for the default.
    public var blkioWeight: UInt16?
    /// `--device` rules added after Docker's default device rules.
    public var devices: [DeviceRule]
    /// `--cpu-quota` (or `--cpus` × period): CFS quota in microseconds per period; -1 for none, nil to keep.
    public var cpuQuotaMicroseconds: Int64?
    /// `--cpu-period`: CFS period in microseconds (1000...1000000); nil to keep.
    public var cpuPeriodMicroseconds: UInt64?
    /// `--memory-reservation`: the soft limit in bytes; nil for none.
    public var memoryReservationBytes: UInt64?
    /// `--cpuset-mems`: the memory nodes allowed; nil for all.
    public var cpusetMems: String?
    /// `--memory-swappiness` (0…100), v1 only (v2 has no per-cgroup swappiness; ignored there, as by Docker);
    /// nil for the kernel's default.
    public var memorySwappiness: UInt64?
    /// `--oom-kill-disable`: v1 only (`memory.oom_control`); v2 has no such switch (dockerd discards it there).
    public var oomKillDisable = false
    /// Per-device block I/O limits (`--device-read-bps` and the like).
    public var deviceThrottles: [DeviceThrottle] = []

    /// Docker's smallest accepted memory limit (6 MiB).
    public static let minimumMemoryBytes: UInt64 = 6 * 1024 * 1024

    /// Creates a set of limits; everything defaults to "no limit".
    public init(
        memoryBytes: UInt64? = nil, memorySwapBytes: Int64? = nil, cpuShares: UInt64? = nil,
        cpusetCpus: String? = nil, pidsLimit: Int64? = nil, blkioWeight: UInt16? = nil, devices: [DeviceRule] = []
    ) {
        self.memoryBytes = memoryBytes
        self.memorySwapBytes = memorySwapBytes
        self.cpuShares = cpuShares
        self.cpusetCpus = cpusetCpus
        self.pidsLimit = pidsLimit
        self.blkioWeight = blkioWeight
        self.devices = devices
    }

    /// The CFS period Docker uses for `--cpus` (100 ms).
    public static let defaultCPUPeriodMicroseconds: UInt64 = 100_000
}
