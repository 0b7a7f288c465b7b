/// What a container is doing, persisted with its record.
public struct ContainerState: Codable, Sendable, Equatable {
    /// The status.
    public var status: ContainerStatus = .created
    /// The container's pid 1 on the host while running, else 0.
    public var pid: Int32 = 0
    /// The `splice-init` monitor's pid while running, else 0.
    public var monitorPid: Int32 = 0
    /// The exit code of the last run.
    public var exitCode: Int32 = 0
    /// Why the last start or run failed, empty when it did not.
    public var error: String = ""
    /// RFC 3339 start time of the last run, nil before the first.
    public var startedAt: String?
    /// RFC 3339 end time of the last run, nil before the first.
    public var finishedAt: String?
    /// Unix seconds of the last start (for `Up N seconds`).
    public var startedAtSeconds: Int64 = 0
    /// Unix seconds of the last exit (for `Exited (N) M seconds ago`).
    public var finishedAtSeconds: Int64 = 0

    /// Creates the state of a new container.
    public init() {}

    /// Whether the process runs.
    public var isRunning: Bool { status == .running }
}
