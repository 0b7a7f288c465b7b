extension ContainerCgroup {
    /// Reads the memory, OOM and task counters the kernel keeps for the cgroup, and with `usage` also the CPU,
    /// `memory.stat` and block I/O counters; missing files leave fields nil.
    public func stats(usage: Bool = false) -> CgroupStats {
        var stats = CgroupStats()
        if usage { readUsage(into: &stats) }
        let number: (String) -> UInt64? = { [files] path in (try? files.readTrimmed(path)).flatMap { UInt64($0) } }
        if hierarchy.usesUnified {
            guard let directory = directory(for: "memory") else { return stats }
            stats.memoryUsageBytes = number("\(directory)/memory.current")
            stats.memoryLimitBytes = number("\(directory)/memory.max")
            stats.oomKills = (try? files.keyedValue("oom_kill", in: "\(directory)/memory.events")).flatMap { $0 }
                .flatMap { UInt64($0) }
            stats.pidsCurrent = number("\(directory)/pids.current")
            stats.pidsLimit = number("\(directory)/pids.max")
            return stats
        }
        if let directory = directory(for: "memory") {
            stats.memoryUsageBytes = number("\(directory)/memory.usage_in_bytes")
            // v1 reports "unlimited" as a huge page-aligned number (PAGE_COUNTER_MAX × page size).
            stats.memoryLimitBytes = number("\(directory)/memory.limit_in_bytes").flatMap { $0 >= 1 << 62 ? nil : $0 }
            stats.oomKills = (try? files.keyedValue("oom_kill", in: "\(directory)/memory.oom_control")).flatMap { $0 }
                .flatMap { UInt64($0) }
        }
        if let directory = directory(for: "pids") {
            stats.pidsCurrent = number("\(directory)/pids.current")
            stats.pidsLimit = number("\(directory)/pids.max")
        }
        return stats
    }
}
