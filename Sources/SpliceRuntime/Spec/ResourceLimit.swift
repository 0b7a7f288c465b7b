import Glibc

/// A process resource limit set on the container's first process (`--ulimit`), as `setrlimit(2)` takes it.
public struct ResourceLimit: Codable, Sendable, Equatable {
    /// The resource's name as Docker spells it (`nofile`, `nproc`, ...).
    public var name: String
    /// The soft limit; -1 for unlimited.
    public var soft: Int64
    /// The hard limit; -1 for unlimited.
    public var hard: Int64

    /// Creates a limit.
    public init(name: String, soft: Int64, hard: Int64) {
        self.name = name
        self.soft = soft
        self.hard = hard
    }

    /// The `RLIMIT_*` numbers of the names Docker accepts.
    public static let resources: [String: Int32] = [
        "as": Int32(RLIMIT_AS.rawValue), "core": Int32(RLIMIT_CORE.rawValue), "cpu": Int32(RLIMIT_CPU.rawValue),
        "data": Int32(RLIMIT_DATA.rawValue), "fsize": Int32(RLIMIT_FSIZE.rawValue),
        "locks": Int32(__RLIMIT_LOCKS.rawValue), "memlock": Int32(__RLIMIT_MEMLOCK.rawValue),
        "msgqueue": Int32(__RLIMIT_MSGQUEUE.rawValue), "nice": Int32(__RLIMIT_NICE.rawValue),
        "nofile": Int32(RLIMIT_NOFILE.rawValue), "nproc": Int32(__RLIMIT_NPROC.rawValue),
        "rss": Int32(__RLIMIT_RSS.rawValue), "rtprio": Int32(__RLIMIT_RTPRIO.rawValue),
        "rttime": Int32(__RLIMIT_RTTIME.rawValue), "sigpending": Int32(__RLIMIT_SIGPENDING.rawValue),
        "stack": Int32(RLIMIT_STACK.rawValue),
    ]

    /// Refuses an unknown name or a soft limit above the hard one, in dockerd's words.
    public func validate() throws(RuntimeError) {
        guard Self.resources[name] != nil else { throw .invalidSpec("invalid ulimit type: \(name)") }
        if hard >= 0 && (soft < 0 || soft > hard) {
            throw .invalidSpec("ulimit soft limit must be less than or equal to hard limit: \(soft) > \(hard)")
        }
    }
}
