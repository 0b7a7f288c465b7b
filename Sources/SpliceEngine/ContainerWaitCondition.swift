/// What `wait` waits for.
public enum ContainerWaitCondition: Sendable, Equatable {
    /// Returns at once when not running, else at the exit.
    case notRunning
    /// The next exit.
    case nextExit
    /// The removal.
    case removed
}
