/// `GET /containers/{id}/json` body, dockerd's `ContainerJSON` layout (`inspect-container.txt`).
public struct ContainerInspect: Codable, Sendable, Equatable {
    /// `State` block.
    public struct State: Codable, Sendable, Equatable {
        /// `created|running|paused|restarting|removing|exited|dead`.
        public var Status: String = "created"
        /// Running (also true while paused).
        public var Running: Bool = false
        /// Paused.
        public var Paused: Bool = false
        /// Restarting.
        public var Restarting: Bool = false
        /// Killed by the OOM killer.
        public var OOMKilled: Bool = false
        /// Dead.
        public var Dead: Bool = false
        /// Host PID of the container's init, 0 when not running.
        public var Pid: Int = 0
        /// Last exit code.
        public var ExitCode: Int = 0
        /// Last start error.
        public var Error: String = ""
        /// RFC 3339 nano, `0001-01-01T00:00:00Z` when unset.
        public var StartedAt: String = ContainerInspect.zeroTime
        /// RFC 3339 nano, `0001-01-01T00:00:00Z` when unset.
        public var FinishedAt: String = ContainerInspect.zeroTime
        /// The health check's state, omitted for a container without one (or never started).
        public var Health: HealthState?
        /// Creates a `created` state.
        public init() {}
    }

    /// `GraphDriver` block.
    public struct GraphDriver: Codable, Sendable, Equatable {
        /// Driver data (`LowerDir`, `MergedDir`, `UpperDir`, `WorkDir`).
        public var Data: [String: String]? = nil
        /// Driver name.
        public var Name: String = "overlay2"
        /// Creates an overlay2 block.
        public init() {}
    }

    /// One entry of `Mounts`.
    public struct MountPoint: Codable, Sendable, Equatable {
        /// `bind` or `volume`.
        public var `Type`: String = "volume"
        /// Volume name (volumes only).
        public var Name: String? = nil
        /// Host path.
        public var Source: String = ""
        /// Path in the container.
        public var Destination: String = ""
        /// Volume driver (volumes only).
        public var Driver: String? = nil
        /// Mode string, for example `ro`.
        public var Mode: String = ""
        /// Writable.
        public var RW: Bool = true
        /// Propagation, for example `rprivate`.
        public var Propagation: String = ""
        /// Creates an empty mount point.
        public init() {}
    }

    /// The zero time dockerd prints for unset timestamps.
    public static let zeroTime = "0001-01-01T00:00:00Z"

    /// Full 64-hex ID.
    public var Id: String = ""
    /// Creation time, RFC 3339 nano.
    public var Created: String = ContainerInspect.zeroTime
    /// argv[0].
    public var Path: String = ""
    /// argv[1...].
    public var Args: [String] = []
    /// State.
    public var State: State = State()
    /// Image ID, `sha256:...`.
    public var Image: String = ""
    /// Path of the container's resolv.conf.
    public var ResolvConfPath: String = ""
    /// Path of the container's hostname file.
    public var HostnamePath: String = ""
    /// Path of the container's hosts file.
    public var HostsPath: String = ""
    /// Path of the log file.
    public var LogPath: String = ""
    /// Name with the leading `/`.
    public var Name: String = ""
    /// Restarts done by the restart policy.
    public var RestartCount: Int = 0
    /// Storage driver.
    public var Driver: String = "overlay2"
    /// `linux`.
    public var Platform: String = "linux"
    /// SELinux mount label.
    public var MountLabel: String = ""
    /// SELinux process label.
    public var ProcessLabel: String = ""
    /// AppArmor profile.
    public var AppArmorProfile: String = ""
    /// Exec IDs of the container, `null` when none.
    @Nullable public var ExecIDs: [String]? = nil
    /// Host config.
    public var HostConfig: HostConfig = .init()
    /// Graph driver.
    public var GraphDriver: GraphDriver = GraphDriver()
    /// Mounts.
    public var Mounts: [MountPoint] = []
    /// Config.
    public var Config: ContainerConfig = .init()
    /// Network settings.
    public var NetworkSettings: NetworkSettings = .init()

    /// Creates an empty inspect body.
    public init() {}
}
