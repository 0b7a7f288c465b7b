/// Docker's container states, as `State.Status` shows them and `ps --filter status=` matches them.
public enum ContainerStatus: String, Codable, Sendable, Equatable, CaseIterable {
    /// Created, never started (or start failed before the process ran).
    case created
    /// The process runs.
    case running
    /// The process exists but is frozen (`docker pause`).
    case paused
    /// The process ended and the restart policy will start it again after its back-off.
    case restarting
    /// Being removed.
    case removing
    /// The process ended.
    case exited
    /// Could not be cleaned up.
    case dead
}
