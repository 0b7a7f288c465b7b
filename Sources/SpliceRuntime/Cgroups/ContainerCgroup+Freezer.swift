import Glibc
import SystemKit

extension ContainerCgroup {
    /// Freezes every task (`docker pause`): v1 writes FROZEN to freezer.state and polls until the kernel reports
    /// FROZEN; v2 writes 1 to cgroup.freeze and polls cgroup.events for `frozen 1`.
    public func freeze(timeout: Duration = .seconds(5)) throws(CgroupError) {
        try setFrozen(true, timeout: timeout)
    }

    /// Thaws every task (`docker unpause`), the reverse of `freeze`.
    public func thaw(timeout: Duration = .seconds(5)) throws(CgroupError) {
        try setFrozen(false, timeout: timeout)
    }

    /// Whether the kernel reports the cgroup as frozen.
    public func isFrozen() throws(CgroupError) -> Bool {
        if hierarchy.usesUnified {
            guard let directory = directory(for: "freezer") else { return false }
            return try files.keyedValue("frozen", in: "\(directory)/cgroup.events") == "1"
        }
        guard let directory = directory(for: "freezer") else { return false }
        return try files.readTrimmed("\(directory)/freezer.state") == "FROZEN"
    }

    /// Writes the freezer request and polls until the kernel confirms or `timeout` passes.
    private func setFrozen(_ frozen: Bool, timeout: Duration) throws(CgroupError) {
        guard let directory = directory(for: "freezer") else {
            throw .unsupported(
                option: frozen ? "pause" : "unpause", reason: "the freezer cgroup controller is not mounted")
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        if hierarchy.usesUnified {
            let freezeFile = "\(directory)/cgroup.freeze"
            guard files.exists(freezeFile) else {
                throw .unsupported(option: frozen ? "pause" : "unpause", reason: "this kernel has no cgroup.freeze")
            }
            try files.write(frozen ? "1" : "0", to: freezeFile)
            while try files.keyedValue("frozen", in: "\(directory)/cgroup.events") != (frozen ? "1" : "0") {
                guard clock.now < deadline else {
                    throw .timedOut(operation: frozen ? "freeze" : "thaw", path: directory)
                }
                usleep(1_000)
            }
            return
        }
        let stateFile = "\(directory)/freezer.state"
        let wanted = frozen ? "FROZEN" : "THAWED"
        while true {
            // A v1 freeze can stall in FREEZING while tasks are in uninterruptible sleep; writing again retries it.
            try files.write(wanted, to: stateFile)
            if try files.readTrimmed(stateFile) == wanted { return }
            guard clock.now < deadline else {
                throw .timedOut(operation: frozen ? "freeze" : "thaw", path: stateFile)
            }
            usleep(1_000)
        }
    }

    /// Kills every task with SIGKILL: `cgroup.kill` on v2 where present, otherwise freeze, signal each pid in
    /// cgroup.procs, thaw, and repeat until the cgroup is empty or `timeout` passes.
    public func killAll(timeout: Duration = .seconds(5)) throws(CgroupError) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        if hierarchy.usesUnified, let directory = directory(for: "pids"), files.exists("\(directory)/cgroup.kill") {
            try files.write("1", to: "\(directory)/cgroup.kill")
        } else {
            let canFreeze = directory(for: "freezer") != nil
            while true {
                let pids = try processes()
                if pids.isEmpty { break }
                if canFreeze { try? freeze(timeout: .milliseconds(500)) }
                for pid in pids where kill(pid, SIGKILL) != 0 {
                    let errno = Errno.current
                    if errno != .noSuchProcess {
                        if canFreeze { try? thaw() }
                        throw .system(SystemError("kill", errno: errno, path: "\(pid)"))
                    }
                }
                if canFreeze { try thaw() }
                guard clock.now < deadline else { break }
                usleep(5_000)
            }
        }
        while try !processes().isEmpty {
            guard clock.now < deadline else { throw .timedOut(operation: "kill", path: directories.first ?? id) }
            usleep(5_000)
        }
    }
}
