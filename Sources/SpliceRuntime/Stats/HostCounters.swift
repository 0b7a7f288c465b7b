import Glibc
import SystemKit

/// The host-wide numbers `docker stats` puts beside a container's: the system CPU time, the CPUs online and
/// the memory installed.
public enum HostCounters {
    /// The host's CPU time in nanoseconds as dockerd computes `system_cpu_usage`: the first seven fields of the
    /// `cpu` line of /proc/stat (user … softirq), in USER_HZ ticks, converted. Nil if /proc/stat is unreadable.
    public static func systemCPUNanoseconds() -> UInt64? {
        guard let bytes = try? FileDescriptor.open("/proc/stat", O_RDONLY | O_CLOEXEC).readAll() else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.first == "cpu", fields.count >= 8 else { continue }
            let ticks = fields[1...7].compactMap { UInt64($0) }.reduce(0, +)
            return ticks * ContainerCgroup.nanosecondsPerTick
        }
        return nil
    }

    /// CPUs online (`sysconf(_SC_NPROCESSORS_ONLN)`).
    public static func onlineCPUs() -> UInt32 { UInt32(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Installed memory in bytes (`MemTotal` of /proc/meminfo); nil if unreadable.
    public static func memoryTotalBytes() -> UInt64? {
        guard let bytes = try? FileDescriptor.open("/proc/meminfo", O_RDONLY | O_CLOEXEC).readAll() else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kibibytes = UInt64(fields[1]) else { return nil }
            return kibibytes * 1024
        }
        return nil
    }
}
