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

    /// Creates an empty config.
    public init() {}
}
