/// One entry of a Docker profile's `syscalls` list: an action for some syscalls, optionally only when their
/// arguments match.
public struct SeccompSyscallRule: Codable, Sendable, Equatable {
    /// The syscall names; names unknown on this architecture are skipped, as Docker skips them.
    public var names: [String]
    /// The action, such as `SCMP_ACT_ALLOW` or `SCMP_ACT_ERRNO`.
    public var action: String
    /// The errno for `SCMP_ACT_ERRNO` (EPERM when absent).
    public var errnoRet: UInt32?
    /// Argument conditions, all of which must hold.
    public var args: [SeccompArgument]?
    /// Why the rule exists.
    public var comment: String?

    /// Creates a rule.
    public init(
        names: [String], action: String, errnoRet: UInt32? = nil, args: [SeccompArgument]? = nil,
        comment: String? = nil
    ) {
        self.names = names
        self.action = action
        self.errnoRet = errnoRet
        self.args = args
        self.comment = comment
    }
}
