/// A seccomp profile in Docker's JSON format (`defaultAction`, `architectures` or `archMap`,
/// `syscalls[{names, action, args}]`).
public struct SeccompProfile: Codable, Sendable, Equatable {
    /// The action for syscalls no rule names, such as `SCMP_ACT_ERRNO`.
    public var defaultAction: String
    /// The errno for a default `SCMP_ACT_ERRNO` (EPERM when absent).
    public var defaultErrnoRet: UInt32?
    /// The architectures the filter serves (`SCMP_ARCH_X86_64`, `SCMP_ARCH_X86`, …); the native one when absent.
    public var architectures: [String]?
    /// Per native architecture, the others its programs may use (Docker's default profile: x86 and x32 on
    /// x86_64); only the entry of the host's architecture applies.
    public var archMap: [ArchitectureMapping]?
    /// The rules, in order.
    public var syscalls: [SeccompSyscallRule]

    /// One `archMap` entry.
    public struct ArchitectureMapping: Codable, Sendable, Equatable {
        /// The native architecture it applies to.
        public var architecture: String
        /// The architectures added beside it.
        public var subArchitectures: [String]

        /// Creates an entry.
        public init(architecture: String, subArchitectures: [String]) {
            self.architecture = architecture
            self.subArchitectures = subArchitectures
        }
    }

    /// Creates a profile.
    public init(defaultAction: String, defaultErrnoRet: UInt32? = nil, architectures: [String]? = nil,
                archMap: [ArchitectureMapping]? = nil, syscalls: [SeccompSyscallRule]) {
        self.defaultAction = defaultAction
        self.defaultErrnoRet = defaultErrnoRet
        self.architectures = architectures
        self.archMap = archMap
        self.syscalls = syscalls
    }
}
