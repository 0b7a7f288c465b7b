import Glibc

/// Takes the cost of a container's first cgroup migration off its start path.
///
/// Moving a task into a cgroup (a write to `cgroup.procs`, v1 or v2) takes the kernel's
/// `cgroup_threadgroup_rwsem` for writing, and the first writer after a quiet spell waits for a whole RCU grace
/// period (`rcu_sync_enter`): measured here 7–15 ms, while the writes that follow within the next grace period
/// take 0.2 ms. Pid 1 of every container joins its cgroups before it execs, so that wait lands on every start.
/// `prime()` pays it early and in parallel: the engine calls it on a spare thread as a start begins, and by the
/// time `splice-init`'s child writes its own pid (a few milliseconds later) the grace period has passed.
///
/// The write moves the calling process into the cgroup it is already in (its own line of `/proc/self/cgroup`), so
/// nothing changes but the lock's state.
public enum CgroupMigrationPrimer {
    /// Writes `0` (the caller) to its own cgroup's `cgroup.procs` in the first hierarchy that has one. Blocks for
    /// the grace period: call it from a thread that may block, never from a concurrency thread. Failures are
    /// ignored: the only cost of not priming is the wait it would have saved.
    public static func prime(cgroupRoot: String = "/sys/fs/cgroup") {
        guard let path = ownProcsFile(cgroupRoot: cgroupRoot) else { return }
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = write(fd, "0", 1)
        close(fd)
    }

    /// The `cgroup.procs` file of the caller's own cgroup: in the v1 `pids` or `freezer` hierarchy when mounted,
    /// else in the unified one.
    static func ownProcsFile(cgroupRoot: String) -> String? {
        guard let file = fopen("/proc/self/cgroup", "r") else { return nil }
        defer { fclose(file) }
        var candidates: [String] = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            // `ID:controllers:/path`
            let fields = String(cString: line).split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let relative = fields[2].hasSuffix("\n") ? fields[2].dropLast() : fields[2]
            let controllers = fields[1].split(separator: ",")
            if controllers.contains("pids") || controllers.contains("freezer") {
                candidates.insert("\(cgroupRoot)/\(controllers.joined(separator: ","))\(relative)", at: 0)
            } else if fields[0] == "0" && fields[1].isEmpty {
                candidates.append("\(cgroupRoot)/unified\(relative)")
                candidates.append("\(cgroupRoot)\(relative)")
            }
        }
        return candidates.map { $0.hasSuffix("/") ? $0 + "cgroup.procs" : $0 + "/cgroup.procs" }
            .first { access($0, W_OK) == 0 }
    }
}
