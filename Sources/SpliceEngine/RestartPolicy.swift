/// When the engine restarts a container that exited (`--restart`).
public struct RestartPolicy: Codable, Sendable, Equatable {
    /// The policy's name.
    public enum Name: String, Codable, Sendable {
        /// Never (the default).
        case no
        /// Always, unless stopped by the user (restarted with the daemon too).
        case always
        /// Like `always`, but not with the daemon when the user had stopped it.
        case unlessStopped = "unless-stopped"
        /// Only after a non-zero exit, at most `maximumRetryCount` times when that is above 0.
        case onFailure = "on-failure"
    }

    /// The policy.
    public var name: Name
    /// The retry limit of `on-failure`; 0 for no limit.
    public var maximumRetryCount: Int

    /// Creates a policy; `no` by default.
    public init(name: Name = .no, maximumRetryCount: Int = 0) {
        self.name = name
        self.maximumRetryCount = maximumRetryCount
    }
}
