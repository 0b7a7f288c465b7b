/// One per-device block I/O limit of `HostConfig` (`--device-read-bps /dev/sda:1mb` and the like): a device node
/// and its rate (bytes or operations per second).
public struct ThrottleDevice: Codable, Sendable, Equatable {
    /// The device node, such as `/dev/sda`.
    public var Path: String
    /// The rate.
    public var Rate: UInt64

    /// Creates an entry.
    public init(Path: String, Rate: UInt64) {
        self.Path = Path
        self.Rate = Rate
    }
}
