/// One block I/O counter of a cgroup: a device, an operation and its value (v1 `blkio.throttle.*_recursive`
/// lines, v2 `io.stat` fields as dockerd names them: `read`/`write`).
public struct BlockIOCounter: Sendable, Equatable {
    /// Device major number.
    public var major: UInt64
    /// Device minor number.
    public var minor: UInt64
    /// `Read`, `Write`, `Sync`, `Async`, `Discard`, `Total` (v1) or `read`, `write` (v2).
    public var operation: String
    /// Bytes or operations.
    public var value: UInt64

    /// Creates a counter.
    public init(major: UInt64, minor: UInt64, operation: String, value: UInt64) {
        self.major = major
        self.minor = minor
        self.operation = operation
        self.value = value
    }
}
