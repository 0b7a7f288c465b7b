import CLinuxShims
import Glibc

/// A bind mount into the container (a volume).
public struct BindMount: Codable, Sendable, Equatable {
    /// The host path.
    public var source: String
    /// The absolute path inside the container.
    public var target: String
    /// Whether the container sees it read-only.
    public var readOnly: Bool
    /// Mount propagation (`shared`, `rslave` …, a key of `propagations`); nil or empty for Docker's `rprivate`.
    public var propagation: String?

    /// The propagation words Docker takes and their `mount(2)` flags.
    public static let propagations: [String: Int] = [
        "private": MS_PRIVATE, "rprivate": MS_PRIVATE | MS_REC, "shared": MS_SHARED, "rshared": MS_SHARED | MS_REC,
        "slave": MS_SLAVE, "rslave": MS_SLAVE | MS_REC,
    ]

    /// Creates a bind mount.
    public init(source: String, target: String, readOnly: Bool = false, propagation: String? = nil) {
        self.source = source
        self.target = target
        self.readOnly = readOnly
        self.propagation = propagation
    }
}
