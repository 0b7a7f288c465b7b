import DockerModels

/// The run defaults an image carries (the `config` of an image config): Docker's field names.
public struct ContainerConfig: Hashable, Sendable, Codable {
    /// The user (name or uid[:gid]) the process runs as.
    public var user: String?
    /// Exposed ports such as `80/tcp`, as keys of empty objects.
    public var exposedPorts: [String: EmptyObject]?
    /// `NAME=value` pairs.
    public var env: [String]?
    /// The entrypoint argv.
    public var entrypoint: [String]?
    /// The default command argv.
    public var cmd: [String]?
    /// Volume mount points, as keys of empty objects.
    public var volumes: [String: EmptyObject]?
    /// The working directory.
    public var workingDir: String?
    /// Labels.
    public var labels: [String: String]?
    /// The signal that stops the container.
    public var stopSignal: String?
    /// The health check (`HEALTHCHECK`), stored for clients.
    public var healthcheck: Healthcheck?
    /// `ONBUILD` triggers, run by a build that starts `FROM` this image.
    public var onBuild: [String]?
    /// The shell of shell-form instructions (`SHELL`).
    public var shell: [String]?

    /// A `HEALTHCHECK`: the test and its timings in nanoseconds, with Docker's field names.
    public struct Healthcheck: Hashable, Sendable, Codable {
        /// `["CMD", ...]`, `["CMD-SHELL", "..."]` or `["NONE"]`.
        public var test: [String]
        /// Time between checks.
        public var interval: Int64?
        /// Time a check may take.
        public var timeout: Int64?
        /// Grace period after the start.
        public var startPeriod: Int64?
        /// Time between checks while starting, within the start period.
        public var startInterval: Int64?
        /// Failures before unhealthy.
        public var retries: Int?

        enum CodingKeys: String, CodingKey {
            case test = "Test"
            case interval = "Interval"
            case timeout = "Timeout"
            case startPeriod = "StartPeriod"
            case startInterval = "StartInterval"
            case retries = "Retries"
        }

        /// Creates a health check.
        public init(test: [String]) { self.test = test }
    }

    /// An empty JSON object, the value type of Docker's port and volume sets (the API's type: the same `{}`).
    public typealias EmptyObject = DockerModels.EmptyObject

    enum CodingKeys: String, CodingKey {
        case user = "User"
        case exposedPorts = "ExposedPorts"
        case env = "Env"
        case entrypoint = "Entrypoint"
        case cmd = "Cmd"
        case volumes = "Volumes"
        case workingDir = "WorkingDir"
        case labels = "Labels"
        case stopSignal = "StopSignal"
        case healthcheck = "Healthcheck"
        case onBuild = "OnBuild"
        case shell = "Shell"
    }

    /// Creates an empty config.
    public init() {}
}
