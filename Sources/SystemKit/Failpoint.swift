import Glibc
import Synchronization

/// Test-only crash points: when `SPLICE_FAILPOINT` names a step, the process (`spliced`, `pipework`) kills itself
/// with SIGKILL on reaching it, as a `kill -9` at that moment would, so tests can check that a restart (or the next
/// run) adopts or removes what that step left. `step#N` dies at the step's Nth hit (the first by default), so a
/// step shared by several operations can be cut in a later one. Unset (always, outside tests), `hit` is one
/// comparison.
public enum Failpoint {
    /// The step named by `SPLICE_FAILPOINT` and the hit that dies, read once.
    static let armed: (step: String, hit: Int)? = getenv("SPLICE_FAILPOINT").map {
        value -> (step: String, hit: Int) in
        let text = String(cString: value)
        let parts = text.split(separator: "#", maxSplits: 1)
        guard parts.count == 2, let count = Int(parts[1]), count > 0 else { return (text, 1) }
        return (String(parts[0]), count)
    }

    /// Hits of the armed step so far.
    static let hits = Atomic<Int>(0)

    /// The steps of a container start, in order: after the intent is recorded, after the network is attached,
    /// after `splice-init` started the process, after the resource limits are applied (before the record says
    /// running).
    public static let startSteps = ["start.intent", "start.network", "start.process", "start.resources"]

    /// The steps of a container removal (`rm -f`), in order: after the process is gone, after the removal intent
    /// is recorded, after the network is released, after the cgroup is removed (before the record goes).
    public static let removeSteps = ["rm.stop", "rm.intent", "rm.network", "rm.resources"]

    /// The steps of `network connect` and `network disconnect` of a running container: after the attachment is
    /// recorded (or forgotten), after the endpoint is made (or removed).
    public static let connectSteps = ["connect.intent", "connect.endpoint", "disconnect.intent", "disconnect.endpoint"]

    /// The steps inside one network endpoint (a start's, `network connect`'s): after its address is allocated, after
    /// its veth is made, after its published ports' map elements are added (before its record is saved); and of
    /// its teardown: after its ports are unpublished, after its veth is deleted.
    public static let endpointSteps = ["endpoint.address", "endpoint.veth", "endpoint.publish",
                                       "endpoint.unpublish", "endpoint.unlink"]

    /// The steps of `pipework` attaching an interface: after the veth is made (its guest end is made directly in
    /// the container's namespace), after the guest end is marked and up, after the address, after the default
    /// route.
    public static let pipeworkSteps = ["pipework.veth", "pipework.guest", "pipework.address", "pipework.routes"]

    /// Dies with SIGKILL if `step` is the armed one and this is the hit that dies.
    public static func hit(_ step: String) {
        guard let armed, armed.step == step else { return }
        if hits.add(1, ordering: .relaxed).newValue >= armed.hit { kill(getpid(), SIGKILL) }
    }
}
