import Glibc

extension ContainerCgroup {
    /// Nanoseconds per USER_HZ tick, the unit of v1 `cpuacct.stat`.
    static var nanosecondsPerTick: UInt64 { 1_000_000_000 / UInt64(max(1, sysconf(Int32(_SC_CLK_TCK)))) }

    /// Fills the CPU, memory.stat and block I/O counters of `stats` (what `docker stats` shows beyond memory and
    /// tasks); missing files leave fields nil.
    func readUsage(into stats: inout CgroupStats) {
        if hierarchy.usesUnified {
            guard let directory = directory(for: "cpu") else { return }
            if let cpu = flatKeyed("\(directory)/cpu.stat") {
                stats.cpu = CPUCounters(
                    totalNanoseconds: (cpu["usage_usec"] ?? 0) * 1000, userNanoseconds: (cpu["user_usec"] ?? 0) * 1000,
                    systemNanoseconds: (cpu["system_usec"] ?? 0) * 1000, periods: cpu["nr_periods"] ?? 0,
                    throttledPeriods: cpu["nr_throttled"] ?? 0,
                    throttledNanoseconds: (cpu["throttled_usec"] ?? 0) * 1000)
            }
            stats.memoryStat = flatKeyed("\(directory)/memory.stat")
            if let io = try? files.read("\(directory)/io.stat") {
                (stats.ioServiceBytes, stats.ioServiced) = Self.parseIOStat(io)
            }
            return
        }
        if let directory = directory(for: "cpuacct"),
           let total = (try? files.readTrimmed("\(directory)/cpuacct.usage")).flatMap({ UInt64($0) }) {
            let perCPU = (try? files.read("\(directory)/cpuacct.usage_percpu"))
                .map { $0.split(whereSeparator: \.isWhitespace).compactMap { UInt64($0) } }
            let ticks = flatKeyed("\(directory)/cpuacct.stat") ?? [:]
            let throttling = self.directory(for: "cpu").flatMap { flatKeyed("\($0)/cpu.stat") } ?? [:]
            stats.cpu = CPUCounters(
                totalNanoseconds: total, perCPUNanoseconds: perCPU,
                userNanoseconds: (ticks["user"] ?? 0) * Self.nanosecondsPerTick,
                systemNanoseconds: (ticks["system"] ?? 0) * Self.nanosecondsPerTick,
                periods: throttling["nr_periods"] ?? 0, throttledPeriods: throttling["nr_throttled"] ?? 0,
                throttledNanoseconds: throttling["throttled_time"] ?? 0)
        }
        if let directory = directory(for: "memory") {
            stats.memoryMaxUsageBytes = (try? files.readTrimmed("\(directory)/memory.max_usage_in_bytes"))
                .flatMap { UInt64($0) }
            stats.memoryStat = flatKeyed("\(directory)/memory.stat")
        }
        if let directory = directory(for: "blkio") {
            stats.ioServiceBytes = (try? files.read("\(directory)/blkio.throttle.io_service_bytes_recursive"))
                .map(Self.parseBlkioV1)
            stats.ioServiced = (try? files.read("\(directory)/blkio.throttle.io_serviced_recursive"))
                .map(Self.parseBlkioV1)
        }
    }

    /// A flat-keyed file (`key value` per line) as numbers; nil when it cannot be read.
    private func flatKeyed(_ path: String) -> [String: UInt64]? {
        guard let text = try? files.read(path) else { return nil }
        var values: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = UInt64(fields[1]) { values[String(fields[0])] = value }
        }
        return values
    }

    /// v1 `MAJ:MIN Op value` lines (the closing `Total N` line has no device and is skipped).
    static func parseBlkioV1(_ text: String) -> [BlockIOCounter] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3, let (major, minor) = device(fields[0]), let value = UInt64(fields[2]) else {
                return nil
            }
            return BlockIOCounter(major: major, minor: minor, operation: String(fields[1]), value: value)
        }
    }

    /// v2 `io.stat` (`MAJ:MIN rbytes=… wbytes=… rios=… wios=…`) as dockerd converts it: bytes and operations,
    /// each as a `read` and a `write` counter per device.
    static func parseIOStat(_ text: String) -> (bytes: [BlockIOCounter], operations: [BlockIOCounter]) {
        var bytes: [BlockIOCounter] = []
        var operations: [BlockIOCounter] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let first = fields.first, let (major, minor) = device(first) else { continue }
            var values: [String: UInt64] = [:]
            for field in fields.dropFirst() {
                let pair = field.split(separator: "=", maxSplits: 1)
                if pair.count == 2, let value = UInt64(pair[1]) { values[String(pair[0])] = value }
            }
            bytes += [BlockIOCounter(major: major, minor: minor, operation: "read", value: values["rbytes"] ?? 0),
                      BlockIOCounter(major: major, minor: minor, operation: "write", value: values["wbytes"] ?? 0)]
            operations += [BlockIOCounter(major: major, minor: minor, operation: "read", value: values["rios"] ?? 0),
                           BlockIOCounter(major: major, minor: minor, operation: "write", value: values["wios"] ?? 0)]
        }
        return (bytes, operations)
    }

    /// `8:0` as numbers.
    private static func device(_ text: Substring) -> (UInt64, UInt64)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let major = UInt64(parts[0]), let minor = UInt64(parts[1]) else { return nil }
        return (major, minor)
    }
}
