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
    /// How many times the restart policy started the container since the user last started it.
    public var restartCount: Int = 0
    /// Whether the user stopped or killed it (`unless-stopped` then stays down, also across daemon restarts).
    public var stoppedByUser: Bool = false
    /// Whether the kernel's OOM killer killed a process of the last run (Docker's `State.OOMKilled`).
    public var oomKilled: Bool = false
    /// A start is under way (recorded before its first kernel object is made, cleared when it is recorded as
    /// running or rolled back): found set after a daemon restart, the start was cut by a kill, and what it made is
    /// removed (`ContainerEngine.undoInterruptedStart`).
    public var starting: Bool = false
    /// The health check's verdict and last results (Docker's `State.Health`); nil without a health check or
    /// before the first start.
    public var health: ContainerHealth?

    /// Creates the state of a new container.
    public init() {}

    /// Whether its process exists (running or paused), as Docker's `State.Running`.
    public var isRunning: Bool { status == .running || status == .paused }

    /// Whether `docker ps` without `-a` lists it: running, paused or restarting.
    public var isListed: Bool { isRunning || status == .restarting }

    private enum CodingKeys: String, CodingKey {
        case status, pid, monitorPid, exitCode, error, startedAt, finishedAt, startedAtSeconds, finishedAtSeconds
        case restartCount, stoppedByUser, oomKilled, starting, health
    }

    /// Decodes a state; fields missing from records written by older versions keep their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decodeIfPresent(ContainerStatus.self, forKey: .status) ?? .created
        pid = try container.decodeIfPresent(Int32.self, forKey: .pid) ?? 0
        monitorPid = try container.decodeIfPresent(Int32.self, forKey: .monitorPid) ?? 0
        exitCode = try container.decodeIfPresent(Int32.self, forKey: .exitCode) ?? 0
        error = try container.decodeIfPresent(String.self, forKey: .error) ?? ""
        startedAt = try container.decodeIfPresent(String.self, forKey: .startedAt)
        finishedAt = try container.decodeIfPresent(String.self, forKey: .finishedAt)
        startedAtSeconds = try container.decodeIfPresent(Int64.self, forKey: .startedAtSeconds) ?? 0
        finishedAtSeconds = try container.decodeIfPresent(Int64.self, forKey: .finishedAtSeconds) ?? 0
        restartCount = try container.decodeIfPresent(Int.self, forKey: .restartCount) ?? 0
        stoppedByUser = try container.decodeIfPresent(Bool.self, forKey: .stoppedByUser) ?? false
        oomKilled = try container.decodeIfPresent(Bool.self, forKey: .oomKilled) ?? false
        starting = try container.decodeIfPresent(Bool.self, forKey: .starting) ?? false
        health = try container.decodeIfPresent(ContainerHealth.self, forKey: .health)
    }
}
