/// What `splice-init exec` writes to its report socket once: the started process's host pid, or the error.
struct ExecReport: Codable, Sendable {
    var pid: Int32?
    var error: String?
}
