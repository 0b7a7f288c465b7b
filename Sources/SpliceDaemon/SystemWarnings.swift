import Glibc

/// The kernel features `docker info` warns about when missing, probed from the cgroup hierarchy and /proc.
public enum SystemWarnings {
    /// Docker's warning lines for the cgroup features absent under `root` (v1 controllers or a v2 hierarchy).
    public static func probe(cgroupRoot root: String = "/sys/fs/cgroup") -> [String] {
        var warnings: [String] = []
        let unified = exists(root + "/cgroup.controllers")
        if unified {
            let controllers = (read(root + "/cgroup.controllers") ?? "").split(separator: " ").map {
                $0.filter { !$0.isWhitespace }
            }
            if !controllers.contains("memory") { warnings.append("WARNING: No memory limit support") }
            if !controllers.contains("cpu") { warnings.append("WARNING: No cpu cfs quota support") }
            if !controllers.contains("io") {
                warnings += ["WARNING: No blkio weight support", "WARNING: No blkio weight_device support"]
            }
            if !controllers.contains("cpuset") { warnings.append("WARNING: No cpuset support") }
            return warnings
        }
        if !exists(root + "/memory/memory.limit_in_bytes") { warnings.append("WARNING: No memory limit support") }
        if !exists(root + "/memory/memory.memsw.limit_in_bytes") { warnings.append("WARNING: No swap limit support") }
        if !exists(root + "/memory/memory.kmem.limit_in_bytes") {
            warnings.append("WARNING: No kernel memory limit support")
        }
        if !exists(root + "/memory/memory.oom_control") { warnings.append("WARNING: No oom kill disable support") }
        if !exists(root + "/cpu/cpu.cfs_quota_us") { warnings.append("WARNING: No cpu cfs quota support") }
        if !exists(root + "/cpu/cpu.cfs_period_us") { warnings.append("WARNING: No cpu cfs period support") }
        if !exists(root + "/cpu/cpu.shares") { warnings.append("WARNING: No cpu shares support") }
        if !exists(root + "/cpuset/cpuset.cpus") { warnings.append("WARNING: No cpuset support") }
        if !exists(root + "/blkio/blkio.weight") { warnings.append("WARNING: No blkio weight support") }
        if !exists(root + "/blkio/blkio.weight_device") {
            warnings.append("WARNING: No blkio weight_device support")
        }
        return warnings
    }

    /// "WARNING: IPv4 forwarding is disabled" when `net.ipv4.ip_forward` of the daemon's namespace is 0.
    public static func forwarding(procRoot: String = "/proc") -> [String] {
        guard let value = read(procRoot + "/sys/net/ipv4/ip_forward") else { return [] }
        return value.hasPrefix("0") ? ["WARNING: IPv4 forwarding is disabled"] : []
    }

    /// A whole text file (read in 64 KiB steps), or nil.
    static func readAll(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The first 4 KiB of a small text file, or nil.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}
