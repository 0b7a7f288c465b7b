/// Docker's container states, as `State.Status` shows them.
public enum ContainerStatus: String, Codable, Sendable, Equatable {
    /// Created, never started (or start failed before the process ran).
    case created
    /// The process runs.
    case running
    /// The process ended.
    case exited
    /// Being removed.
    case removing
    /// Could not be cleaned up.
    case dead
}
