/// What `/info` reports about the daemon's own settings (graph, drivers, registries, startup warnings).
public struct DaemonInfoSettings: Sendable, Equatable {
    /// `Docker Root Dir`: the graph (`-g`).
    public var rootDirectory: String = "/var/lib/splice"
    /// `Storage Driver` (`-s`).
    public var storageDriver: String = "overlay"
    /// `Execution Driver`, `native-0.2` as Docker 1.x's.
    public var executionDriver: String = "native-0.2"
    /// `--registry-mirror` values.
    public var registryMirrors: [String] = []
    /// `--insecure-registry` values (shown after `127.0.0.0/8`).
    public var insecureRegistries: [String] = []
    /// Warnings the daemon found at startup, shown by `docker info` (e.g. "WARNING: No blkio weight support").
    public var warnings: [String] = []

    /// Default settings.
    public init() {}
}
