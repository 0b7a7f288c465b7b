import Glibc

/// Test-only crash points: when `SPLICE_FAILPOINT` names a step, the daemon kills itself with SIGKILL on reaching
/// it, as a `kill -9` at that moment would, so tests can check that a restart adopts or removes what that step left.
/// Unset (always, outside tests), `hit` is one comparison.
public enum Failpoint {
    /// The step named by `SPLICE_FAILPOINT`, read once.
    static let armed: String? = getenv("SPLICE_FAILPOINT").map { String(cString: $0) }

    /// The steps of a container start, in order: after the intent is recorded, after the network is attached,
    /// after `splice-init` started the process, after the resource limits are applied (before the record says
    /// running).
    public static let startSteps = ["start.intent", "start.network", "start.process", "start.resources"]

    /// Dies with SIGKILL if `step` is the armed one.
    static func hit(_ step: String) {
        guard let armed, armed == step else { return }
        kill(getpid(), SIGKILL)
    }
}
