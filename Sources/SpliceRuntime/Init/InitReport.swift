/// What `splice-init` writes to its report descriptor once: the pids when the container runs, or the error.
struct InitReport: Codable, Sendable, Equatable {
    var monitorPid: Int32?
    var containerPid: Int32?
    var error: String?
    /// Set when the container's first process could not start (`RuntimeError.startFailed`): the reason alone.
    var startFailure: String?
}
