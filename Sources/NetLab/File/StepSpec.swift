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
    /// Sleep.
    case wait(seconds: Double)
    /// Run a shell command in a host's namespace.
    case hostExec(host: String, command: String)
    /// Run a shell command in a node.
    case nodeExec(node: String, command: String)
}
