/// What `splice-init` writes to its report descriptor once: the pids when the container runs, or the error.
struct InitReport: Codable, Sendable {
    var monitorPid: Int32?
    var containerPid: Int32?
    var error: String?
}
