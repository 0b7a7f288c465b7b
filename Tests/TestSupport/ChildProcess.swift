import Glibc

/// Ending children started through Foundation's `Process`. Foundation reaps its children itself, so a
/// `waitpid` of ours may never see the exit: a child has ended when our `waitpid` reaps it or its pid is gone.
public enum ChildProcess {
    /// Whether `pid` has ended (reaping it if it is our zombie).
    public static func hasEnded(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid || kill(pid, 0) != 0
    }

    /// Waits up to `seconds` for `pid` to end; whether it did.
    public static func awaitEnd(_ pid: pid_t, seconds: Double) -> Bool {
        let polls = max(1, Int(seconds * 50))
        for _ in 0..<polls {
            if hasEnded(pid) { return true }
            usleep(20_000)
        }
        return hasEnded(pid)
    }

    /// Stops `pid`: SIGTERM, up to `seconds` for it to end, then SIGKILL and a wait for the kill to land.
    public static func stop(_ pid: pid_t, seconds: Double = 5) {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        if awaitEnd(pid, seconds: seconds) { return }
        kill(pid, SIGKILL)
        _ = awaitEnd(pid, seconds: 5)
    }
}
