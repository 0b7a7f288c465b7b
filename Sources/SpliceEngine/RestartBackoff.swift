/// Docker's restart manager: whether a container that exited is started again, and after how long (100 ms,
/// doubling up to 1 minute, back to 100 ms after a run of 10 seconds or more).
public struct RestartBackoff: Sendable, Equatable {
    /// The first delay.
    public static let initialDelay: Duration = .milliseconds(100)
    /// The longest delay.
    public static let maximumDelay: Duration = .seconds(60)
    /// A run at least this long resets the delay.
    public static let resetAfter: Duration = .seconds(10)

    /// The delay before the last restart, zero before the first.
    public private(set) var delay: Duration = .zero

    /// Creates a fresh back-off.
    public init() {}

    /// Decides after an exit: nil when `policy` does not restart (`restartCount` restarts done so far, the user
    /// stopped it, or it was `--rm`), else the delay before the next start.
    public mutating func next(policy: RestartPolicy, exitCode: Int32, restartCount: Int, ranFor: Duration,
                              stoppedByUser: Bool, autoRemove: Bool) -> Duration? {
        guard !autoRemove, !stoppedByUser else { return nil }
        let restart: Bool
        switch policy.name {
        case .no: restart = false
        case .always, .unlessStopped: restart = true
        case .onFailure:
            restart = exitCode != 0
                && (policy.maximumRetryCount <= 0 || restartCount < policy.maximumRetryCount)
        }
        guard restart else { return nil }
        if ranFor >= Self.resetAfter { delay = .zero }
        delay = delay == .zero ? Self.initialDelay : min(delay * 2, Self.maximumDelay)
        return delay
    }
}
