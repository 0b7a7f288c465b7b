/// The `condition` query of `POST /containers/{id}/wait`.
public enum WaitCondition: String, Sendable, Equatable {
    /// Default: return at once if the container is not running, else at its exit.
    case notRunning = "not-running"
    /// The next exit, even if the container is not running yet.
    case nextExit = "next-exit"
    /// After the container has been removed.
    case removed
}
