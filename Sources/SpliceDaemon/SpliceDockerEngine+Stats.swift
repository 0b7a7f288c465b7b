import SpliceAPI
import SpliceEngine
import SpliceRuntime
import SystemKit

extension SpliceDockerEngine {
    /// `GET /containers/{id}/stats`: one frame a second while `stream`; otherwise one frame, taken a second after a
    /// first reading so `precpu_stats` gives a CPU rate (or at once, without `precpu_stats`, with `oneShot`).
    public func stats(_ id: String, stream: Bool, oneShot: Bool) async throws
        -> AsyncThrowingStream<ContainerStats, any Error>
    {
        let engine = engine
        let first = try await mapped { try await engine.statsSample(id) }
        let (frames, continuation) = AsyncThrowingStream<ContainerStats, any Error>.makeStream()
        let task = Task {
            var previous: ContainerStatsSample? = nil
            var current = first
            if !stream && !oneShot && first.running {
                try? await Task.sleep(for: .seconds(1))
                previous = first
                do { current = try await engine.statsSample(id) } catch {
                    continuation.finish(throwing: error)
                    return
                }
            }
            while true {
                continuation.yield(Self.frame(current, previous: previous))
                guard stream else { break }
                do { try await Task.sleep(for: .seconds(1)) } catch { break }
                previous = current
                do { current = try await engine.statsSample(id) } catch {
                    continuation.finish(throwing: error)
                    return
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return frames
    }

    /// dockerd's frame for `sample`, with `precpu_stats` from `previous`.
    static func frame(_ sample: ContainerStatsSample, previous: ContainerStatsSample?) -> ContainerStats {
        var frame = ContainerStats(name: "/" + sample.name, id: sample.id)
        guard sample.running else { return frame }
        frame.read = time(sample.timeNanoseconds)
        frame.cpu_stats = cpuStats(sample)
        if let previous, previous.running {
            frame.preread = time(previous.timeNanoseconds)
            frame.precpu_stats = cpuStats(previous)
        }
        let cgroup = sample.cgroup
        frame.pids_stats = .init(current: cgroup.pidsCurrent, limit: cgroup.pidsLimit)
        frame.blkio_stats = .init(serviceBytes: (cgroup.ioServiceBytes ?? []).map(blkio),
                                  serviced: (cgroup.ioServiced ?? []).map(blkio))
        var limit = cgroup.memoryLimitBytes ?? UInt64.max
        if let host = sample.hostMemoryBytes, host < limit { limit = host }
        frame.memory_stats = .init(usage: cgroup.memoryUsageBytes, max_usage: cgroup.memoryMaxUsageBytes,
                                   stats: cgroup.memoryStat, limit: limit == UInt64.max ? nil : limit)
        frame.networks = sample.interfaces.map { interfaces in
            Dictionary(interfaces.map { counters in
                (counters.name, ContainerStats.NetworkStats(
                    rx_bytes: counters.receivedBytes, rx_packets: counters.receivedPackets,
                    rx_errors: counters.receiveErrors, rx_dropped: counters.receiveDropped,
                    tx_bytes: counters.sentBytes, tx_packets: counters.sentPackets, tx_errors: counters.sendErrors,
                    tx_dropped: counters.sendDropped))
            }) { first, _ in first }
        }
        return frame
    }

    /// `cpu_stats` of one sample.
    static func cpuStats(_ sample: ContainerStatsSample) -> ContainerStats.CPUStats {
        let cpu = sample.cgroup.cpu ?? CPUCounters()
        return .init(cpu_usage: .init(total_usage: cpu.totalNanoseconds, percpu_usage: cpu.perCPUNanoseconds,
                                      usage_in_kernelmode: cpu.systemNanoseconds,
                                      usage_in_usermode: cpu.userNanoseconds),
                     system_cpu_usage: sample.systemCPUNanoseconds, online_cpus: sample.onlineCPUs,
                     throttling_data: .init(periods: cpu.periods, throttled_periods: cpu.throttledPeriods,
                                            throttled_time: cpu.throttledNanoseconds))
    }

    private static func blkio(_ counter: BlockIOCounter) -> ContainerStats.BlkioEntry {
        .init(major: counter.major, minor: counter.minor, op: counter.operation, value: counter.value)
    }

    private static func time(_ nanoseconds: Int64) -> String {
        RFC3339.format(seconds: nanoseconds / 1_000_000_000, nanoseconds: Int(nanoseconds % 1_000_000_000))
    }
}
