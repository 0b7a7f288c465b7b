/// A seccomp profile in Docker's JSON format (`defaultAction`, `syscalls[{names, action, args}]`).
public struct SeccompProfile: Codable, Sendable, Equatable {
    /// The action for syscalls no rule names, such as `SCMP_ACT_ERRNO`.
    public var defaultAction: String
    /// The errno for a default `SCMP_ACT_ERRNO` (EPERM when absent).
    public var defaultErrnoRet: UInt32?
    /// The rules, in order.
    public var syscalls: [SeccompSyscallRule]

    /// Creates a profile.
    public init(defaultAction: String, defaultErrnoRet: UInt32? = nil, syscalls: [SeccompSyscallRule]) {
        self.defaultAction = defaultAction
        self.defaultErrnoRet = defaultErrnoRet
        self.syscalls = syscalls
    }
}
