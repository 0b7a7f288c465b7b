/// One `HostConfig.Ulimits` entry (`--ulimit nofile=1024:2048`): a resource limit by its name.
public struct Ulimit: Codable, Sendable, Equatable {
    /// The resource: `nofile`, `nproc`, `core`, `memlock`, `stack`, ...
    public var Name: String
    /// The soft limit.
    public var Soft: Int64
    /// The hard limit.
    public var Hard: Int64

    /// Creates an entry.
    public init(Name: String, Soft: Int64, Hard: Int64) {
        self.Name = Name
        self.Soft = Soft
        self.Hard = Hard
    }
}
