/// `GET /info` response body (`docker-api-captures/info.txt`, contract 6.2).
public struct SystemInfo: Codable, Sendable, Equatable {
    /// `Plugins` block.
    public struct Plugins: Codable, Sendable, Equatable {
        /// Volume plugins.
        public var Volume: [String] = ["local"]
        /// Network drivers.
        public var Network: [String] = ["bridge", "host", "null"]
        /// Authorization plugins (dockerd: `null`).
        public var Authorization: [String]? = nil
        /// Log drivers.
        public var Log: [String] = ["json-file"]
        /// Creates the default plugin set.
        public init() {}
    }

    /// One `IndexConfigs` entry.
    public struct IndexInfo: Codable, Sendable, Equatable {
        /// Registry name.
        public var Name: String
        /// Mirrors.
        public var Mirrors: [String] = []
        /// Whether TLS is required.
        public var Secure: Bool
        /// Whether this is the official index.
        public var Official: Bool
        /// Creates an index entry.
        public init(Name: String, Secure: Bool, Official: Bool) {
            self.Name = Name
            self.Secure = Secure
            self.Official = Official
        }
    }

    /// `RegistryConfig` block.
    public struct RegistryConfig: Codable, Sendable, Equatable {
        /// Registries reached over plain HTTP; the contract requires `127.0.0.0/8`.
        public var InsecureRegistryCIDRs: [String] = ["127.0.0.0/8"]
        /// Per-registry settings.
        public var IndexConfigs: [String: IndexInfo] = [:]
        /// Registry mirrors.
        public var Mirrors: [String] = []
        /// Creates the default registry config.
        public init() {}
    }

    /// `{"path": ...}` entry of `Runtimes`.
    public struct Runtime: Codable, Sendable, Equatable {
        /// Runtime binary path.
        public var path: String
        /// Creates a runtime entry.
        public init(path: String) { self.path = path }
    }

    /// `Swarm` block; `LocalNodeState` must be `inactive`.
    public struct Swarm: Codable, Sendable, Equatable {
        /// Node ID (empty).
        public var NodeID: String = ""
        /// Node address (empty).
        public var NodeAddr: String = ""
        /// Always `inactive`.
        public var LocalNodeState: String = "inactive"
        /// Whether this node is a manager.
        public var ControlAvailable: Bool = false
        /// Error text.
        public var Error: String = ""
        /// Creates an inactive swarm block.
        public init() {}
    }

    /// Daemon ID.
    public var ID: String = ""
    /// Number of containers.
    public var Containers: Int = 0
    /// Number of running containers.
    public var ContainersRunning: Int = 0
    /// Number of paused containers.
    public var ContainersPaused: Int = 0
    /// Number of stopped containers.
    public var ContainersStopped: Int = 0
    /// Number of images.
    public var Images: Int = 0
    /// Storage driver name.
    public var Driver: String = "overlay2"
    /// Execution driver (Docker 1.x's `native-0.2`); absent when nil.
    public var ExecutionDriver: String? = nil
    /// Storage driver key/value pairs.
    public var DriverStatus: [[String]] = []
    /// Plugins.
    public var Plugins: Plugins = Plugins()
    /// Memory limit support.
    public var MemoryLimit: Bool = true
    /// Swap limit support.
    public var SwapLimit: Bool = true
    /// CFS period support.
    public var CpuCfsPeriod: Bool = true
    /// CFS quota support.
    public var CpuCfsQuota: Bool = true
    /// CPU shares support.
    public var CPUShares: Bool = true
    /// cpuset support.
    public var CPUSet: Bool = true
    /// pids limit support.
    public var PidsLimit: Bool = true
    /// Whether IPv4 forwarding is on.
    public var IPv4Forwarding: Bool = true
    /// Debug mode.
    public var Debug: Bool = false
    /// Open file descriptors of the daemon.
    public var NFd: Int = 0
    /// Goroutines (dockerd); tasks or threads for us.
    public var NGoroutines: Int = 0
    /// Current time, RFC 3339 nano.
    public var SystemTime: String = ""
    /// Default log driver.
    public var LoggingDriver: String = "json-file"
    /// Cgroup driver.
    public var CgroupDriver: String = "cgroupfs"
    /// Cgroup version, `1` or `2`.
    public var CgroupVersion: String = "1"
    /// Kernel release.
    public var KernelVersion: String = ""
    /// OS pretty name.
    public var OperatingSystem: String = ""
    /// OS version.
    public var OSVersion: String = ""
    /// Always `linux`.
    public var OSType: String = "linux"
    /// `uname -m`.
    public var Architecture: String = ""
    /// Index server address.
    public var IndexServerAddress: String = "https://index.docker.io/v1/"
    /// Registry settings.
    public var RegistryConfig: RegistryConfig = RegistryConfig()
    /// CPU count.
    public var NCPU: Int = 0
    /// Memory in bytes.
    public var MemTotal: Int64 = 0
    /// Daemon root directory.
    public var DockerRootDir: String = ""
    /// HTTP proxy.
    public var HttpProxy: String = ""
    /// HTTPS proxy.
    public var HttpsProxy: String = ""
    /// No-proxy list.
    public var NoProxy: String = ""
    /// Host name.
    public var Name: String = ""
    /// Daemon labels.
    public var Labels: [String] = []
    /// Experimental build flag.
    public var ExperimentalBuild: Bool = false
    /// Server version.
    public var ServerVersion: String = ""
    /// Runtimes by name.
    public var Runtimes: [String: Runtime] = [:]
    /// Default runtime name.
    public var DefaultRuntime: String = "runc"
    /// Swarm block (inactive).
    public var Swarm: Swarm = Swarm()
    /// Live restore.
    public var LiveRestoreEnabled: Bool = false
    /// Security options, for example `name=seccomp,profile=default`.
    public var SecurityOptions: [String] = []
    /// Warnings printed by the CLI.
    public var Warnings: [String]? = nil

    /// Creates an info body with defaults.
    public init() {}
}
