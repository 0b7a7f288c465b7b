import Glibc
import SystemKit

/// A per-device block I/O limit (`--device-read-bps`, `--device-write-bps`, `--device-read-iops`,
/// `--device-write-iops`): a rate for one block device, by its node.
public struct DeviceThrottle: Codable, Sendable, Equatable {
    /// What is limited.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case readBps, writeBps, readIOps, writeIOps

        /// The option, for messages.
        public var option: String {
            switch self {
            case .readBps: "--device-read-bps"
            case .writeBps: "--device-write-bps"
            case .readIOps: "--device-read-iops"
            case .writeIOps: "--device-write-iops"
            }
        }

        /// The cgroup v1 file.
        var v1File: String {
            switch self {
            case .readBps: "blkio.throttle.read_bps_device"
            case .writeBps: "blkio.throttle.write_bps_device"
            case .readIOps: "blkio.throttle.read_iops_device"
            case .writeIOps: "blkio.throttle.write_iops_device"
            }
        }

        /// The cgroup v2 `io.max` key.
        var v2Key: String {
            switch self {
            case .readBps: "rbps"
            case .writeBps: "wbps"
            case .readIOps: "riops"
            case .writeIOps: "wiops"
            }
        }
    }

    public var kind: Kind
    /// The device node, such as `/dev/sda`.
    public var path: String
    public var rate: UInt64

    public init(kind: Kind, path: String, rate: UInt64) {
        self.kind = kind
        self.path = path
        self.rate = rate
    }

    /// The node's `major:minor`, as the cgroup files name devices; the error says why a path is not a block device.
    public func device() throws(CgroupError) -> String { try Self.blockDevice(path, option: kind.option) }

    /// The `major:minor` of the block device node at `path`; `option` names the flag in errors.
    static func blockDevice(_ path: String, option: String) throws(CgroupError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .invalidArgument(option: option, message: "stat \(path): \(Errno.current.message)")
        }
        guard info.st_mode & S_IFMT == S_IFBLK else {
            throw .invalidArgument(option: option, message: "\(path) is not a block device")
        }
        let device = UInt64(info.st_rdev)
        return "\(DeviceRule.deviceMajor(device)):\(DeviceRule.deviceMinor(device))"
    }
}
