/// `HostConfig` of the create body and of container inspect (the fields the tutorial uses, contract 9).
public struct HostConfig: Codable, Sendable, Equatable {
    /// `{"Name": "no"|"always"|"on-failure"|"unless-stopped", "MaximumRetryCount": N}`.
    public struct RestartPolicy: Codable, Sendable, Equatable {
        /// Policy name.
        public var Name: String?
        /// Retries for `on-failure`.
        public var MaximumRetryCount: Int?
        /// Creates a restart policy.
        public init(Name: String? = nil, MaximumRetryCount: Int? = nil) {
            self.Name = Name
            self.MaximumRetryCount = MaximumRetryCount
        }
    }

    /// One published port, `{"HostIp": "127.0.0.1", "HostPort": "18080"}`.
    public struct PortBinding: Codable, Sendable, Equatable {
        /// Host address; empty means every address.
        public var HostIp: String?
        /// Host port as a string; empty means ephemeral.
        public var HostPort: String?
        /// Creates a port binding.
        public init(HostIp: String? = nil, HostPort: String? = nil) {
            self.HostIp = HostIp
            self.HostPort = HostPort
        }
    }

    /// `{"Type": "json-file", "Config": {}}`.
    public struct LogConfig: Codable, Sendable, Equatable {
        /// Log driver.
        public var `Type`: String?
        /// Driver options.
        public var Config: [String: String]?
        /// Creates a log config.
        public init(Type: String? = nil, Config: [String: String]? = nil) {
            self.Type = Type
            self.Config = Config
        }
    }

    /// One `--device` mapping, `{"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse", "CgroupPermissions": "rwm"}`.
    public struct DeviceMapping: Codable, Sendable, Equatable {
        /// The device node on the host.
        public var PathOnHost: String?
        /// Where it appears in the container.
        public var PathInContainer: String?
        /// `r`, `w`, `m` or a combination.
        public var CgroupPermissions: String?
        /// Creates a device mapping.
        public init(PathOnHost: String? = nil, PathInContainer: String? = nil, CgroupPermissions: String? = nil) {
            self.PathOnHost = PathOnHost
            self.PathInContainer = PathInContainer
            self.CgroupPermissions = CgroupPermissions
        }
    }

    /// `-v` binds, `src:dst[:mode]`.
    @Nullable public var Binds: [String]? = nil
    /// `--cidfile` (written by the CLI).
    public var ContainerIDFile: String?
    /// Log configuration.
    public var LogConfig: LogConfig?
    /// `default`, `bridge`, `host`, `none` or `container:<name>`.
    public var NetworkMode: String?
    /// `{"8080/tcp": [{"HostIp", "HostPort"}]}`.
    public var PortBindings: [String: [PortBinding]]?
    /// Restart policy.
    public var RestartPolicy: RestartPolicy?
    /// `--rm`.
    public var AutoRemove: Bool?
    /// Volume driver.
    public var VolumeDriver: String?
    /// `--volumes-from`.
    @Nullable public var VolumesFrom: [String]? = nil
    /// `[height, width]` of the terminal.
    public var ConsoleSize: [Int]?
    /// `CAP_`-prefixed capabilities to add.
    @Nullable public var CapAdd: [String]? = nil
    /// Capabilities to drop.
    @Nullable public var CapDrop: [String]? = nil
    /// Cgroup namespace mode.
    public var CgroupnsMode: String?
    /// DNS servers.
    public var Dns: [String]?
    /// resolv.conf options.
    public var DnsOptions: [String]?
    /// DNS search domains.
    public var DnsSearch: [String]?
    /// `host:ip` lines for /etc/hosts.
    @Nullable public var ExtraHosts: [String]? = nil
    /// Extra groups.
    @Nullable public var GroupAdd: [String]? = nil
    /// IPC namespace mode.
    public var IpcMode: String?
    /// Cgroup.
    public var Cgroup: String?
    /// `--link` entries.
    @Nullable public var Links: [String]? = nil
    /// OOM score adjustment.
    public var OomScoreAdj: Int?
    /// PID namespace mode.
    public var PidMode: String?
    /// `--privileged`.
    public var Privileged: Bool?
    /// `-P`.
    public var PublishAllPorts: Bool?
    /// Read-only root filesystem.
    public var ReadonlyRootfs: Bool?
    /// `--security-opt` entries.
    @Nullable public var SecurityOpt: [String]? = nil
    /// UTS namespace mode.
    public var UTSMode: String?
    /// User namespace mode.
    public var UsernsMode: String?
    /// /dev/shm size in bytes.
    public var ShmSize: Int64?
    /// Runtime name.
    public var Runtime: String?
    /// Isolation (empty on Linux).
    public var Isolation: String?
    /// `-c` CPU shares.
    public var CpuShares: Int64?
    /// `-m` memory limit in bytes.
    public var Memory: Int64?
    /// CPU quota in units of 1e-9 CPUs.
    public var NanoCpus: Int64?
    /// Parent cgroup.
    public var CgroupParent: String?
    /// Block IO weight.
    public var BlkioWeight: Int?
    /// CFS period.
    public var CpuPeriod: Int64?
    /// CFS quota.
    public var CpuQuota: Int64?
    /// `--cpuset-cpus`.
    public var CpusetCpus: String?
    /// `--cpuset-mems`.
    public var CpusetMems: String?
    /// Memory reservation.
    public var MemoryReservation: Int64?
    /// Memory plus swap limit.
    public var MemorySwap: Int64?
    /// Swappiness (0…100); `null` for the kernel's default.
    @Nullable public var MemorySwappiness: Int64? = nil
    /// Disable the OOM killer.
    public var OomKillDisable: Bool?
    /// pids limit.
    @Nullable public var PidsLimit: Int64? = nil
    /// Run an init process.
    public var Init: Bool?
    /// Paths masked in the container.
    @Nullable public var MaskedPaths: [String]? = nil
    /// Paths mounted read-only in the container.
    @Nullable public var ReadonlyPaths: [String]? = nil
    /// `--device` mappings.
    public var Devices: [DeviceMapping]?
    /// `--device-cgroup-rule` entries (`c 1:3 mr`); `null` when none.
    @Nullable public var DeviceCgroupRules: [String]? = nil
    /// `--tmpfs`: container path to mount options (`size=64m,mode=1777`).
    public var Tmpfs: [String: String]?
    /// Namespaced kernel parameters set in the container (`--sysctl net.ipv4.ip_forward=1`).
    public var Sysctls: [String: String]?
    /// `--mount` entries.
    public var Mounts: [Mount]?
    /// `--gpus` requests (`null`: none).
    @Nullable public var DeviceRequests: [EmptyObject]? = nil
    /// Per-device block I/O weights.
    public var BlkioWeightDevice: [WeightDevice]?
    /// Per-device read rate limits (bytes/s).
    public var BlkioDeviceReadBps: [ThrottleDevice]?
    /// Per-device write rate limits (bytes/s).
    public var BlkioDeviceWriteBps: [ThrottleDevice]?
    /// Per-device read rate limits (IO/s).
    public var BlkioDeviceReadIOps: [ThrottleDevice]?
    /// Per-device write rate limits (IO/s).
    public var BlkioDeviceWriteIOps: [ThrottleDevice]?
    /// Real-time CPU period.
    public var CpuRealtimePeriod: Int64?
    /// Real-time CPU runtime.
    public var CpuRealtimeRuntime: Int64?
    /// Kernel memory limit (deprecated, always 0).
    public var KernelMemory: Int64?
    /// Kernel TCP memory limit (deprecated, always 0).
    public var KernelMemoryTCP: Int64?
    /// `--ulimit` entries.
    public var Ulimits: [Ulimit]?
    /// CPU count (Windows).
    public var CpuCount: Int64?
    /// CPU percent (Windows).
    public var CpuPercent: Int64?
    /// Maximum IO/s (Windows).
    public var IOMaximumIOps: Int64?
    /// Maximum IO bandwidth (Windows).
    public var IOMaximumBandwidth: Int64?

    /// Creates an empty host config.
    public init() {}
}
