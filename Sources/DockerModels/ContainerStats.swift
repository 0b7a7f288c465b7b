/// One frame of `GET /containers/{id}/stats` (`stats-no-stream.txt`): dockerd's `types.StatsJSON`, with its
/// snake_case keys.
public struct ContainerStats: Codable, Sendable, Equatable {
    /// `pids_stats`.
    public struct PidsStats: Codable, Sendable, Equatable {
        /// Tasks in the cgroup.
        public var current: UInt64?
        /// The task limit; absent when unlimited.
        public var limit: UInt64?
        /// Creates pid stats.
        public init(current: UInt64? = nil, limit: UInt64? = nil) {
            self.current = current
            self.limit = limit
        }
    }

    /// One `blkio_stats` entry: a device, an operation (`Read`, `Write`, `Sync`, `Async`, `Discard`, `Total`)
    /// and its count.
    public struct BlkioEntry: Codable, Sendable, Equatable {
        /// Device major number.
        public var major: UInt64
        /// Device minor number.
        public var minor: UInt64
        /// The operation.
        public var op: String
        /// Bytes or operations.
        public var value: UInt64
        /// Creates an entry.
        public init(major: UInt64, minor: UInt64, op: String, value: UInt64) {
            self.major = major
            self.minor = minor
            self.op = op
            self.value = value
        }
    }

    /// `blkio_stats`: only the first two lists are filled (as dockerd on cgroup v2 and on v1 without CFQ).
    public struct BlkioStats: Codable, Sendable, Equatable {
        /// Bytes transferred per device and operation.
        public var io_service_bytes_recursive: [BlkioEntry]?
        /// Operations per device and operation.
        public var io_serviced_recursive: [BlkioEntry]?
        /// Always empty (CFQ statistics).
        public var io_queue_recursive: [BlkioEntry]?
        /// Always empty (CFQ statistics).
        public var io_service_time_recursive: [BlkioEntry]?
        /// Always empty (CFQ statistics).
        public var io_wait_time_recursive: [BlkioEntry]?
        /// Always empty (CFQ statistics).
        public var io_merged_recursive: [BlkioEntry]?
        /// Always empty (CFQ statistics).
        public var io_time_recursive: [BlkioEntry]?
        /// Always empty (CFQ statistics).
        public var sectors_recursive: [BlkioEntry]?
        /// Creates block I/O stats; nil lists encode as absent (dockerd's `null` for a stopped container).
        public init(serviceBytes: [BlkioEntry]? = nil, serviced: [BlkioEntry]? = nil) {
            io_service_bytes_recursive = serviceBytes
            io_serviced_recursive = serviced
            let empty: [BlkioEntry]? = serviceBytes == nil ? nil : []
            io_queue_recursive = empty
            io_service_time_recursive = empty
            io_wait_time_recursive = empty
            io_merged_recursive = empty
            io_time_recursive = empty
            sectors_recursive = empty
        }
    }

    /// `cpu_stats.cpu_usage`, nanoseconds.
    public struct CPUUsage: Codable, Sendable, Equatable {
        /// CPU time of every task in the cgroup.
        public var total_usage: UInt64
        /// Per CPU (cgroup v1 only).
        public var percpu_usage: [UInt64]?
        /// System time.
        public var usage_in_kernelmode: UInt64
        /// User time.
        public var usage_in_usermode: UInt64
        /// Creates CPU usage.
        public init(total_usage: UInt64 = 0, percpu_usage: [UInt64]? = nil, usage_in_kernelmode: UInt64 = 0,
                    usage_in_usermode: UInt64 = 0) {
            self.total_usage = total_usage
            self.percpu_usage = percpu_usage
            self.usage_in_kernelmode = usage_in_kernelmode
            self.usage_in_usermode = usage_in_usermode
        }
    }

    /// `throttling_data`: CFS bandwidth periods.
    public struct ThrottlingData: Codable, Sendable, Equatable {
        /// Periods elapsed.
        public var periods: UInt64
        /// Periods in which the cgroup was throttled.
        public var throttled_periods: UInt64
        /// Nanoseconds throttled.
        public var throttled_time: UInt64
        /// Creates throttling data.
        public init(periods: UInt64 = 0, throttled_periods: UInt64 = 0, throttled_time: UInt64 = 0) {
            self.periods = periods
            self.throttled_periods = throttled_periods
            self.throttled_time = throttled_time
        }
    }

    /// `cpu_stats` and `precpu_stats`.
    public struct CPUStats: Codable, Sendable, Equatable {
        /// The cgroup's CPU time.
        public var cpu_usage: CPUUsage
        /// The host's CPU time (all CPUs, nanoseconds) at the same moment.
        public var system_cpu_usage: UInt64?
        /// CPUs online.
        public var online_cpus: UInt32?
        /// CFS throttling.
        public var throttling_data: ThrottlingData
        /// Creates CPU stats.
        public init(cpu_usage: CPUUsage = CPUUsage(), system_cpu_usage: UInt64? = nil, online_cpus: UInt32? = nil,
                    throttling_data: ThrottlingData = ThrottlingData()) {
            self.cpu_usage = cpu_usage
            self.system_cpu_usage = system_cpu_usage
            self.online_cpus = online_cpus
            self.throttling_data = throttling_data
        }
    }

    /// `memory_stats`.
    public struct MemoryStats: Codable, Sendable, Equatable {
        /// Bytes in use.
        public var usage: UInt64?
        /// The highest use seen (cgroup v1).
        public var max_usage: UInt64?
        /// The cgroup's `memory.stat`.
        public var stats: [String: UInt64]?
        /// The limit: the cgroup's, or the host's memory when that is smaller.
        public var limit: UInt64?
        /// Creates memory stats.
        public init(usage: UInt64? = nil, max_usage: UInt64? = nil, stats: [String: UInt64]? = nil,
                    limit: UInt64? = nil) {
            self.usage = usage
            self.max_usage = max_usage
            self.stats = stats
            self.limit = limit
        }
    }

    /// One interface's counters in `networks`.
    public struct NetworkStats: Codable, Sendable, Equatable {
        /// Bytes received.
        public var rx_bytes: UInt64
        /// Packets received.
        public var rx_packets: UInt64
        /// Receive errors.
        public var rx_errors: UInt64
        /// Received packets dropped.
        public var rx_dropped: UInt64
        /// Bytes sent.
        public var tx_bytes: UInt64
        /// Packets sent.
        public var tx_packets: UInt64
        /// Send errors.
        public var tx_errors: UInt64
        /// Packets dropped on send.
        public var tx_dropped: UInt64
        /// Creates interface counters.
        public init(rx_bytes: UInt64 = 0, rx_packets: UInt64 = 0, rx_errors: UInt64 = 0, rx_dropped: UInt64 = 0,
                    tx_bytes: UInt64 = 0, tx_packets: UInt64 = 0, tx_errors: UInt64 = 0, tx_dropped: UInt64 = 0) {
            self.rx_bytes = rx_bytes
            self.rx_packets = rx_packets
            self.rx_errors = rx_errors
            self.rx_dropped = rx_dropped
            self.tx_bytes = tx_bytes
            self.tx_packets = tx_packets
            self.tx_errors = tx_errors
            self.tx_dropped = tx_dropped
        }
    }

    /// RFC 3339 time of this sample (`0001-01-01T00:00:00Z` for a container not running).
    public var read: String
    /// Time of the previous sample.
    public var preread: String
    /// Tasks.
    public var pids_stats: PidsStats
    /// Block I/O.
    public var blkio_stats: BlkioStats
    /// Always 0 on Linux.
    public var num_procs: UInt32
    /// Always empty on Linux.
    public var storage_stats: [String: UInt64]
    /// CPU now.
    public var cpu_stats: CPUStats
    /// CPU at the previous sample.
    public var precpu_stats: CPUStats
    /// Memory.
    public var memory_stats: MemoryStats
    /// The container's name with its `/`.
    public var name: String
    /// The container's ID.
    public var id: String
    /// Interface counters by name (absent with `--net=host` or `none`).
    public var networks: [String: NetworkStats]?

    /// The zero time Go prints for an unset `time.Time`.
    public static let zeroTime = "0001-01-01T00:00:00Z"

    /// Creates a frame; the defaults are dockerd's frame for a container that is not running.
    public init(read: String = zeroTime, preread: String = zeroTime, pids_stats: PidsStats = PidsStats(),
                blkio_stats: BlkioStats = BlkioStats(), cpu_stats: CPUStats = CPUStats(),
                precpu_stats: CPUStats = CPUStats(), memory_stats: MemoryStats = MemoryStats(), name: String,
                id: String, networks: [String: NetworkStats]? = nil) {
        self.read = read
        self.preread = preread
        self.pids_stats = pids_stats
        self.blkio_stats = blkio_stats
        self.num_procs = 0
        self.storage_stats = [:]
        self.cpu_stats = cpu_stats
        self.precpu_stats = precpu_stats
        self.memory_stats = memory_stats
        self.name = name
        self.id = id
        self.networks = networks
    }
}
