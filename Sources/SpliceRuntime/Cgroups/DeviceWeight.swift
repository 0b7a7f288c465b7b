/// A per-device block I/O weight (`--blkio-weight-device /dev/sda:200`): the device's share against the other
/// cgroups, 10 to 1000, overriding `--blkio-weight` for that device.
public struct DeviceWeight: Codable, Sendable, Equatable {
    /// The device node, such as `/dev/sda`.
    public var path: String
    /// The weight, 10 to 1000 (0: the cgroup's default weight for the device).
    public var weight: UInt16

    /// A weight for the device node at `path`.
    public init(path: String, weight: UInt16) {
        self.path = path
        self.weight = weight
    }

    /// The node's `major:minor`, as the cgroup files name devices.
    public func device() throws(CgroupError) -> String {
        try DeviceThrottle.blockDevice(path, option: "--blkio-weight-device")
    }
}
