import Glibc

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
    /// `--blkio-weight-device`: per-device block I/O weights (v1 `blkio.weight_device`, v2 `io.weight` lines).
    public var deviceWeights: [DeviceWeight] = []
    /// `--kernel-memory`: v1 `memory.kmem.limit_in_bytes`; nil for none.
    public var kernelMemoryBytes: UInt64?
    /// `KernelMemoryTCP`: v1 `memory.kmem.tcp.limit_in_bytes`; nil for none.
    public var kernelTCPMemoryBytes: UInt64?
    /// `--cpu-rt-period`: v1 `cpu.rt_period_us`; nil for the parent's.
    public var realtimePeriodMicroseconds: UInt64?
    /// `--cpu-rt-runtime`: v1 `cpu.rt_runtime_us` (-1: no limit); nil for none (0, no real-time tasks).
    public var realtimeRuntimeMicroseconds: Int64?

    /// Whether the kernel applies `memory.kmem.limit_in_bytes`: cgroup v1 before Linux 5.16, which made writes to
    /// it do nothing (the TCP limit, `memory.kmem.tcp.limit_in_bytes`, still applies).
    public static let kernelMemoryLimitApplies: Bool = {
        var name = utsname()
        guard uname(&name) == 0 else { return false }
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard numbers.count == 2 else { return false }
        return (numbers[0], numbers[1]) < (5, 16)
    }()

    /// Why real-time budgets cannot be set here, or nil when the v1 cpu controller has `cpu.rt_runtime_us`.
    public static var realtimeUnsupportedReason: String? {
        guard let hierarchy = try? CgroupHierarchy.current() else { return "no cgroup hierarchy is mounted" }
        guard !hierarchy.usesUnified, let cpu = hierarchy.v1Mounts["cpu"] else {
            return "cgroup v2 has no real-time cpu controller"
        }
        guard access(cpu + "/cpu.rt_runtime_us", F_OK) == 0 else {
            return "no cpu.rt_runtime_us: the kernel lacks CONFIG_RT_GROUP_SCHED"
        }
        return nil
    }

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
