import Foundation
import Testing
@testable import SpliceRuntime

/// The counters `docker stats` needs, read from a fake cgroupfs filled with what the kernels write.
@Suite("Cgroup usage counters for stats")
struct CgroupUsageTests {
    @Test("v1: cpuacct, cpu.stat, memory.stat and blkio.throttle lines")
    func v1Usage() throws {
        let (tree, hierarchy) = try CgroupWriterTests.v1Layout()
        let c1 = "splice/c1"
        try tree.write("30178316\n", at: "cpuacct/\(c1)/cpuacct.usage")
        try tree.write("17836291 12342025 \n", at: "cpuacct/\(c1)/cpuacct.usage_percpu")
        try tree.write("user 2\nsystem 1\n", at: "cpuacct/\(c1)/cpuacct.stat")
        try tree.write("nr_periods 5\nnr_throttled 2\nthrottled_time 900\n", at: "cpu/\(c1)/cpu.stat")
        try tree.write("4300800\n", at: "memory/\(c1)/memory.max_usage_in_bytes")
        try tree.write("cache 229376\nrss 53248\ntotal_inactive_file 4096\n", at: "memory/\(c1)/memory.stat")
        try tree.write("8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 0\n8:0 Total 12288\n"
            + "Total 12288\n", at: "blkio/\(c1)/blkio.throttle.io_service_bytes_recursive")
        try tree.write("8:0 Read 1\n8:0 Write 2\nTotal 3\n", at: "blkio/\(c1)/blkio.throttle.io_serviced_recursive")
        let stats = try CgroupWriterTests.recorder(hierarchy).stats(usage: true)
        let ticks = ContainerCgroup.nanosecondsPerTick
        #expect(stats.cpu == CPUCounters(totalNanoseconds: 30_178_316, perCPUNanoseconds: [17_836_291, 12_342_025],
                                         userNanoseconds: 2 * ticks, systemNanoseconds: ticks, periods: 5,
                                         throttledPeriods: 2, throttledNanoseconds: 900))
        #expect(stats.memoryMaxUsageBytes == 4_300_800)
        #expect(stats.memoryStat == ["cache": 229_376, "rss": 53_248, "total_inactive_file": 4096])
        #expect(stats.ioServiceBytes?.count == 6)
        #expect(stats.ioServiceBytes?.first == BlockIOCounter(major: 8, minor: 0, operation: "Read", value: 4096))
        #expect(stats.ioServiced == [BlockIOCounter(major: 8, minor: 0, operation: "Read", value: 1),
                                     BlockIOCounter(major: 8, minor: 0, operation: "Write", value: 2)])
        #expect(try CgroupWriterTests.recorder(hierarchy).stats().cpu == nil, "usage only when asked for")
    }

    @Test("v2: cpu.stat in microseconds, memory.stat, io.stat as read/write counters")
    func v2Usage() throws {
        let (tree, hierarchy) = try CgroupWriterTests.v2Layout()
        try tree.write("usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 3\nnr_throttled 1\n"
            + "throttled_usec 20\n", at: "splice/c1/cpu.stat")
        try tree.write("anon 4096\ninactive_file 1024\n", at: "splice/c1/memory.stat")
        try tree.write("8:0 rbytes=100 wbytes=200 rios=3 wios=4 dbytes=0 dios=0\n", at: "splice/c1/io.stat")
        let stats = try CgroupWriterTests.recorder(hierarchy).stats(usage: true)
        #expect(stats.cpu == CPUCounters(totalNanoseconds: 1_500_000, userNanoseconds: 1_000_000,
                                         systemNanoseconds: 500_000, periods: 3, throttledPeriods: 1,
                                         throttledNanoseconds: 20_000))
        #expect(stats.memoryStat == ["anon": 4096, "inactive_file": 1024])
        #expect(stats.ioServiceBytes == [BlockIOCounter(major: 8, minor: 0, operation: "read", value: 100),
                                         BlockIOCounter(major: 8, minor: 0, operation: "write", value: 200)])
        #expect(stats.ioServiced == [BlockIOCounter(major: 8, minor: 0, operation: "read", value: 3),
                                     BlockIOCounter(major: 8, minor: 0, operation: "write", value: 4)])
    }

    @Test("/proc/PID/net/dev: every interface but lo, receive and transmit fields in order")
    func interfaceCounters() {
        let text = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
              eth0:    1266      15    1    2    0     0          0         0      558       7    3    4    0     0       0          0
            """
        let parsed = InterfaceCounters.parse(text)
        #expect(parsed.map(\.name) == ["lo", "eth0"])
        #expect(parsed.last == InterfaceCounters(name: "eth0", receivedBytes: 1266, receivedPackets: 15,
                                                 receiveErrors: 1, receiveDropped: 2, sentBytes: 558, sentPackets: 7,
                                                 sendErrors: 3, sendDropped: 4))
    }

    @Test("The host's counters are readable here")
    func hostCounters() throws {
        #expect(try #require(HostCounters.systemCPUNanoseconds()) > 0)
        #expect(HostCounters.onlineCPUs() >= 1)
        #expect(try #require(HostCounters.memoryTotalBytes()) > 0)
    }

    @Test("CFS quota and period, soft limit and memory nodes: v1 files and v2 cpu.max")
    func quotaWrites() throws {
        var limits = ResourceLimits()
        limits.cpuQuotaMicroseconds = 50_000
        limits.cpuPeriodMicroseconds = 100_000
        limits.memoryReservationBytes = 16 << 20
        limits.cpusetMems = "0"
        let (v1Tree, v1) = try CgroupWriterTests.v1Layout()
        for file in ["cpu/splice/c1/cpu.cfs_period_us", "cpu/splice/c1/cpu.cfs_quota_us",
                     "memory/splice/c1/memory.soft_limit_in_bytes"] {
            try v1Tree.write("", at: file)
        }
        let v1Cgroup = try CgroupWriterTests.recorder(v1)
        try v1Cgroup.apply(limits)
        let v1Journal = CgroupWriterTests.journal(v1Cgroup, root: v1Tree.path)
        #expect(v1Journal.contains("$root/cpu/splice/c1/cpu.cfs_period_us = 100000"))
        #expect(v1Journal.contains("$root/cpu/splice/c1/cpu.cfs_quota_us = 50000"))
        #expect(v1Journal.contains("$root/memory/splice/c1/memory.soft_limit_in_bytes = 16777216"))
        #expect(v1Journal.contains("$root/cpuset/splice/c1/cpuset.mems = 0"))
        let (v2Tree, v2) = try CgroupWriterTests.v2Layout()
        try v2Tree.write("max 100000\n", at: "splice/c1/cpu.max")
        try v2Tree.write("", at: "splice/c1/memory.low")
        try v2Tree.write("", at: "splice/c1/cpuset.mems")
        let v2Cgroup = try CgroupWriterTests.recorder(v2)
        try v2Cgroup.apply(limits)
        let v2Journal = CgroupWriterTests.journal(v2Cgroup, root: v2Tree.path)
        #expect(v2Journal.contains("$root/splice/c1/cpu.max = 50000 100000"))
        #expect(v2Journal.contains("$root/splice/c1/memory.low = 16777216"))
        var tooShort = ResourceLimits()
        tooShort.cpuQuotaMicroseconds = 10
        #expect(throws: CgroupError.invalidArgument(option: "--cpu-quota",
                                                    message: "CPU cfs quota can not be less than 1ms (i.e. 1000)")) {
            try tooShort.validate(onlineCPUs: nil)
        }
    }
}
