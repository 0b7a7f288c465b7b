/// A change to a running lab inside `tests`.
public enum StepSpec: Sendable {
    /// Set both ends of a link down.
    case linkDown(String)
    /// Set both ends of a link up.
    case linkUp(String)
    /// `kill -9` the host's spliced.
    case killEngine(host: String)
    /// Start the host's spliced again.
    case startEngine(host: String)
    /// The host leaves the cluster gracefully: its spliced stopped by SIGTERM, its lease in the store revoked.
    case leaveHost(host: String)
    /// The host that left joins again: its spliced started with its cluster flags.
    case rejoinHost(host: String)
    /// Stop an etcd member of the lab's store (`etcd1`, ...), or every member (`all`).
    case stopStore(member: String)
    /// Start an etcd member of the lab's store again (or every stopped member with `all`).
    case startStore(member: String)
    /// Sleep.
    case wait(seconds: Double)
    /// Run a shell command in a host's namespace.
    case hostExec(host: String, command: String)
    /// Run a shell command in a node.
    case nodeExec(node: String, command: String)
}
