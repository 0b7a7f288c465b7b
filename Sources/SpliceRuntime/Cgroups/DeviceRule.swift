import Glibc
import SystemKit

/// One device cgroup rule: allow or deny access of a kind to a major:minor pair, as `devices.allow` takes it.
public struct DeviceRule: Codable, Sendable, Equatable {
    /// The kind of device a rule matches.
    public enum Kind: String, Codable, Sendable {
        /// Character devices (`c`).
        case character = "c"
        /// Block devices (`b`).
        case block = "b"
        /// Every device (`a`).
        case all = "a"
    }

    /// Whether the rule grants (`devices.allow`) or revokes (`devices.deny`) access.
    public var allow: Bool
    /// The kind of device.
    public var kind: Kind
    /// The major number; nil matches any (`*`).
    public var major: Int64?
    /// The minor number; nil matches any (`*`).
    public var minor: Int64?
    /// Access: any of `r` (read), `w` (write), `m` (mknod).
    public var permissions: String
    /// For `--device`: the device node on the host; nil for rules not tied to a node.
    public var hostPath: String?
    /// For `--device`: where the node appears inside the container.
    public var containerPath: String?

    /// Creates a rule.
    public init(
        allow: Bool = true, kind: Kind, major: Int64?, minor: Int64?, permissions: String = "rwm",
        hostPath: String? = nil, containerPath: String? = nil
    ) {
        self.allow = allow
        self.kind = kind
        self.major = major
        self.minor = minor
        self.permissions = permissions
        self.hostPath = hostPath
        self.containerPath = containerPath
    }

    /// The line written to v1 `devices.allow`/`devices.deny`, such as `c 1:3 rwm` or `a`.
    public var cgroupV1Line: String {
        if kind == .all && major == nil && minor == nil { return "a" }
        let majorText = major.map(String.init) ?? "*"
        let minorText = minor.map(String.init) ?? "*"
        return "\(kind.rawValue) \(majorText):\(minorText) \(permissions)"
    }

    /// Parses Docker's `--device=/dev/sdc[:/dev/xvdc[:rwm]]`, stat'ing the host path for its type and numbers.
    public static func parse(_ spec: String) throws(CgroupError) -> DeviceRule {
        let invalid = CgroupError.invalidArgument(option: "--device", message: "invalid device specification: \(spec)")
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var source = ""
        var destination = ""
        var permissions = "rwm"
        switch parts.count {
        case 3:
            guard isValidMode(parts[2]) else {
                throw .invalidArgument(option: "--device", message: "invalid device mode: \(parts[2])")
            }
            permissions = parts[2]
            destination = parts[1]
            source = parts[0]
        case 2:
            if isValidMode(parts[1]) { permissions = parts[1] } else { destination = parts[1] }
            source = parts[0]
        case 1:
            source = parts[0]
        default:
            throw invalid
        }
        guard source.hasPrefix("/") else { throw invalid }
        if destination.isEmpty { destination = source }
        guard destination.hasPrefix("/") else {
            throw .invalidArgument(option: "--device", message: "\(destination) is not an absolute path")
        }
        var info = stat()
        if stat(source, &info) != 0 {
            throw .invalidArgument(
                option: "--device",
                message: "error gathering device information while adding custom device \"\(source)\": "
                    + Errno.current.message)
        }
        let format = info.st_mode & S_IFMT
        let kind: Kind
        if format == S_IFCHR {
            kind = .character
        } else if format == S_IFBLK {
            kind = .block
        } else {
            throw .invalidArgument(option: "--device", message: "\(source) is not a device node")
        }
        let device = UInt64(info.st_rdev)
        return DeviceRule(
            kind: kind, major: Int64(deviceMajor(device)), minor: Int64(deviceMinor(device)),
            permissions: permissions, hostPath: source, containerPath: destination)
    }

    /// Whether `mode` is a non-empty combination of distinct `r`, `w`, `m`.
    static func isValidMode(_ mode: String) -> Bool {
        guard !mode.isEmpty, mode.count <= 3 else { return false }
        var seen = Set<Character>()
        for char in mode {
            guard "rwm".contains(char), seen.insert(char).inserted else { return false }
        }
        return true
    }

    /// The major number of a `dev_t` (glibc's `gnu_dev_major`).
    static func deviceMajor(_ device: UInt64) -> UInt64 {
        ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
    }

    /// The minor number of a `dev_t` (glibc's `gnu_dev_minor`).
    static func deviceMinor(_ device: UInt64) -> UInt64 {
        (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
    }
}
