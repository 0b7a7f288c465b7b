/// One per-device block I/O weight of `HostConfig` (`--blkio-weight-device /dev/sda:200`): a device node and its
/// weight (10 to 1000).
public struct WeightDevice: Codable, Sendable, Equatable {
    /// The device node, such as `/dev/sda`.
    public var Path: String
    /// The weight.
    public var Weight: UInt16

    /// Creates an entry.
    public init(Path: String, Weight: UInt16) {
        self.Path = Path
        self.Weight = Weight
    }
}
