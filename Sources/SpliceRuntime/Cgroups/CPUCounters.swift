/// A cgroup's CPU time, in nanoseconds (v1 `cpuacct.*` and `cpu.stat`, v2 `cpu.stat`).
public struct CPUCounters: Sendable, Equatable {
    /// CPU time of every task.
    public var totalNanoseconds: UInt64
    /// Per CPU (v1 `cpuacct.usage_percpu`; nil on v2).
    public var perCPUNanoseconds: [UInt64]?
    /// User time.
    public var userNanoseconds: UInt64
    /// System time.
    public var systemNanoseconds: UInt64
    /// CFS periods elapsed.
    public var periods: UInt64
    /// CFS periods throttled.
    public var throttledPeriods: UInt64
    /// Time throttled.
    public var throttledNanoseconds: UInt64

    /// Creates CPU counters.
    public init(totalNanoseconds: UInt64 = 0, perCPUNanoseconds: [UInt64]? = nil, userNanoseconds: UInt64 = 0,
                systemNanoseconds: UInt64 = 0, periods: UInt64 = 0, throttledPeriods: UInt64 = 0,
                throttledNanoseconds: UInt64 = 0) {
        self.totalNanoseconds = totalNanoseconds
        self.perCPUNanoseconds = perCPUNanoseconds
        self.userNanoseconds = userNanoseconds
        self.systemNanoseconds = systemNanoseconds
        self.periods = periods
        self.throttledPeriods = throttledPeriods
        self.throttledNanoseconds = throttledNanoseconds
    }
}
