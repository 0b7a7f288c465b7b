/// The container `Config`: the top-level fields of the create body and `Config` in inspect.
///
/// Every field is optional because docker-py sends a minimal body and `null` means "default".
public struct ContainerConfig: Codable, Sendable, Equatable {
    /// Host name (`-h`).
    public var Hostname: String?
    /// Domain name.
    public var Domainname: String?
    /// `user[:group]` (`-u`).
    public var User: String?
    /// Attach stdin.
    public var AttachStdin: Bool?
    /// Attach stdout.
    public var AttachStdout: Bool?
    /// Attach stderr.
    public var AttachStderr: Bool?
    /// Exposed ports, `{"8080/tcp": {}}`.
    public var ExposedPorts: [String: EmptyObject]?
    /// Allocate a TTY.
    public var Tty: Bool?
    /// Keep stdin open.
    public var OpenStdin: Bool?
    /// Close stdin after the first attach ends.
    public var StdinOnce: Bool?
    /// `KEY=value` entries.
    public var Env: [String]?
    /// Command.
    public var Cmd: [String]?
    /// Image reference as the user typed it.
    public var Image: String?
    /// Anonymous volumes, `{"/data": {}}`.
    @Nullable public var Volumes: [String: EmptyObject]? = nil
    /// Working directory (`-w`).
    public var WorkingDir: String?
    /// Entrypoint (`--entrypoint`).
    @Nullable public var Entrypoint: [String]? = nil
    /// ONBUILD triggers.
    @Nullable public var OnBuild: [String]? = nil
    /// Labels.
    public var Labels: [String: String]?
    /// Stop signal.
    public var StopSignal: String?
    /// Seconds `stop` waits before SIGKILL (`--stop-timeout`); nil for the daemon's default.
    public var StopTimeout: Int?
    /// Disable networking (docker-py).
    public var NetworkDisabled: Bool?
    /// MAC address of the container's default endpoint (`--mac-address`, API < 1.44).
    public var MacAddress: String?
    /// The health check (an image's `HEALTHCHECK`).
    public var Healthcheck: HealthConfig?

    /// Creates an empty config.
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case Hostname, Domainname, User, AttachStdin, AttachStdout, AttachStderr, ExposedPorts, Tty, OpenStdin
        case StdinOnce, Env, Cmd, Image, Volumes, WorkingDir, Entrypoint, OnBuild, Labels, StopSignal
        case NetworkDisabled, MacAddress, StopTimeout, Healthcheck
    }

    /// Decodes a config; `Cmd` and `Entrypoint` may be a list or a single string, as Docker's `StrSlice` takes
    /// them (`"Cmd": "echo hi"` is the one argument `echo hi`).
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        Hostname = try values.decodeIfPresent(String.self, forKey: .Hostname)
        Domainname = try values.decodeIfPresent(String.self, forKey: .Domainname)
        User = try values.decodeIfPresent(String.self, forKey: .User)
        AttachStdin = try values.decodeIfPresent(Bool.self, forKey: .AttachStdin)
        AttachStdout = try values.decodeIfPresent(Bool.self, forKey: .AttachStdout)
        AttachStderr = try values.decodeIfPresent(Bool.self, forKey: .AttachStderr)
        ExposedPorts = try values.decodeIfPresent([String: EmptyObject].self, forKey: .ExposedPorts)
        Tty = try values.decodeIfPresent(Bool.self, forKey: .Tty)
        OpenStdin = try values.decodeIfPresent(Bool.self, forKey: .OpenStdin)
        StdinOnce = try values.decodeIfPresent(Bool.self, forKey: .StdinOnce)
        Env = try values.decodeIfPresent([String].self, forKey: .Env)
        Cmd = try Self.stringSlice(values, .Cmd)
        Image = try values.decodeIfPresent(String.self, forKey: .Image)
        Volumes = try values.decodeIfPresent([String: EmptyObject].self, forKey: .Volumes)
        WorkingDir = try values.decodeIfPresent(String.self, forKey: .WorkingDir)
        Entrypoint = try Self.stringSlice(values, .Entrypoint)
        OnBuild = try values.decodeIfPresent([String].self, forKey: .OnBuild)
        Labels = try values.decodeIfPresent([String: String].self, forKey: .Labels)
        StopSignal = try values.decodeIfPresent(String.self, forKey: .StopSignal)
        StopTimeout = try values.decodeIfPresent(Int.self, forKey: .StopTimeout)
        NetworkDisabled = try values.decodeIfPresent(Bool.self, forKey: .NetworkDisabled)
        MacAddress = try values.decodeIfPresent(String.self, forKey: .MacAddress)
        Healthcheck = try values.decodeIfPresent(HealthConfig.self, forKey: .Healthcheck)
    }

    /// A `StrSlice`: a list of strings, or one string as a one-element list; nil when absent or null.
    private static func stringSlice(_ values: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws
        -> [String]?
    {
        if let text = try? values.decodeIfPresent(String.self, forKey: key) { return [text] }
        return try values.decodeIfPresent([String].self, forKey: key)
    }
}
