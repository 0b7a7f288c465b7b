/// What `/info` reports about the daemon's own settings (graph, drivers, registries, startup warnings).
public struct DaemonInfoSettings: Sendable, Equatable {
    /// `Docker Root Dir`: the graph (`-g`).
    public var rootDirectory: String = "/var/lib/splice"
    /// `Storage Driver` (`-s`).
    public var storageDriver: String = "overlay"
    /// `Execution Driver`, `native-0.2` as Docker 1.x's.
    public var executionDriver: String = "native-0.2"
    /// `--userns-remap` is on: `SecurityOptions` lists `name=userns`, as dockerd's.
    public var userNamespaces: Bool = false
    /// `--registry-mirror` values.
    public var registryMirrors: [String] = []
    /// `--insecure-registry` values (shown after `127.0.0.0/8`).
    public var insecureRegistries: [String] = []
    /// `Operating System` (`PRETTY_NAME` of `/etc/os-release`).
    public var operatingSystem: String = "Linux"
    /// `OSVersion` (`VERSION_ID`).
    public var osVersion: String = ""
    /// `Total Memory` in bytes.
    public var memoryTotal: Int64 = 0
    /// `Backing Filesystem` of the graph (`extfs`, `xfs`, ...).
    public var backingFilesystem: String = "unknown"
    /// The daemon's `ID`.
    public var daemonID: String = "SPLICE"
    /// Warnings the daemon found at startup, shown by `docker info` (e.g. "WARNING: No blkio weight support").
    public var warnings: [String] = []

    /// Default settings.
    public init() {}
}
