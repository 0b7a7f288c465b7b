/// Everything `splice-init` needs to start one container, as the engine hands it over (JSON).
public struct ContainerSpec: Encodable, Sendable, Equatable {
    /// The container's id; used in messages only.
    public var id: String
    /// The command and its arguments; a bare name is looked up in the container's `PATH`.
    public var command: [String]
    /// Environment entries, `NAME=value`.
    public var environment: [String]
    /// The working directory inside the container.
    public var workingDirectory: String
    /// The user, `uid[:gid]` (numeric) or `root`.
    public var user: String
    /// Supplementary group ids.
    public var additionalGroups: [UInt32]
    /// The container's host name.
    public var hostname: String
    /// Where the root filesystem comes from.
    public var rootfs: RootfsSpec
    /// Bind mounts (volumes), applied in order.
    public var mounts: [BindMount]
    /// The network namespace to join.
    public var network: ContainerNetwork
    /// Extra `/etc/hosts` lines after the standard ones.
    public var hosts: [HostsEntry]
    /// What goes into `/etc/resolv.conf`.
    public var dns: DNSConfig
    /// Capabilities to add to Docker's default set (`NET_ADMIN`, `CAP_NET_ADMIN`, `ALL`).
    public var capAdd: [String]
    /// Capabilities to drop from Docker's default set.
    public var capDrop: [String]
    /// All capabilities, no seccomp, no masked or read-only paths, as `docker run --privileged`.
    public var privileged: Bool
    /// Sets `no_new_privs` before exec.
    public var noNewPrivileges: Bool
    /// The seccomp filter.
    public var seccomp: SeccompSetting
    /// The default filter as the daemon built it (nil: the monitor builds it).
    public var compiledSeccomp: CompiledSeccomp?
    /// Allocate a pseudo-terminal for pid 1 (`-t`); its output is logged as `stdout`.
    public var tty: Bool
    /// Keep stdin open for attached clients (`-i`); without it stdin is `/dev/null`.
    public var openStdin: Bool
    /// Close the container's stdin once the first attached client has detached (`docker run -i` without `-d`).
    public var stdinOnce: Bool
    /// The terminal's initial size, when `tty`.
    public var consoleSize: TerminalSize?
    /// The json-file log; `container.log` in the state directory when nil.
    public var logPath: String?
    /// `cgroup.procs` files (one per hierarchy) that pid 1 joins before anything else, so every limit holds from
    /// its first instruction; the engine creates the cgroups and sets their limits beforehand.
    public var cgroupProcs: [String] = []
    /// Mount the root filesystem read-only (`--read-only`); volumes, `/dev`, `/proc` and the `/etc` files stay as
    /// they are.
    public var readonlyRootfs: Bool = false
    /// What the container sees at `/sys/fs/cgroup` (its own cgroup, read-only unless `privileged`).
    public var cgroupView: CgroupView = .none
    /// The pid namespace of pid 1 (`--pid`).
    public var pidNamespace: NamespaceMode = .private
    /// Keep the host's UTS namespace and so its hostname (`--uts=host`).
    public var hostUTS: Bool = false
    /// tmpfs mounts (`--tmpfs`, `--mount type=tmpfs`), after the bind mounts.
    public var tmpfs: [TmpfsMount] = []
    /// Namespaced kernel parameters, written under `/proc/sys` before `/proc/sys` is made read-only.
    public var sysctls: [String: String] = [:]
    /// The size of `/dev/shm` in bytes; nil for 64 MiB.
    public var shmSize: Int64?
    /// The IPC namespace (`--ipc`): a new one, the host's, or another container's.
    public var ipcNamespace: NamespaceMode = .private
    /// What `/dev/shm` is: a tmpfs of its own, nothing, or a shared directory.
    public var sharedMemory: SharedMemory = .tmpfs
    /// The first process's `oom_score_adj` (`--oom-score-adj`); nil to keep the monitor's.
    public var oomScoreAdjust: Int?
    /// Resource limits set on the first process before it runs.
    public var resourceLimits: [ResourceLimit] = []
    /// A static init binary on the host (`--init`): mounted read-only at `/sbin/docker-init` and run as pid 1 with
    /// `-- command…`.
    public var initBinary: String?
    /// The json-file log's rotation, or no log at all (`--log-driver none`).
    public var logSettings: LogSettings = LogSettings()
    /// A client is attaching (`docker run` without `-d`) and no log keeps the output: after the output ends the
    /// monitor waits a few seconds for that client to connect, so that a short-lived container's output reaches it.
    public var awaitAttach: Bool = false
    /// A cgroup namespace of its own (`--cgroupns private`, Docker's default on v2), rooted at its cgroup.
    public var privateCgroupNamespace: Bool = false
    /// A user namespace of its own with these maps (`spliced --userns-remap`); nil for the host's.
    public var userNamespace: UserNamespaceSpec?
    /// The overlay's upper directory goes with the container (`--rm`): it is mounted `volatile`, so the kernel does
    /// not sync the upper filesystem (a disk flush) when the container's last process exits, as Podman does for
    /// `--rm`. Overlayfs then refuses that upper directory until its `work/incompat/volatile` marker is removed,
    /// which the engine does before each start.
    public var volatileUpper: Bool = false

    /// Creates a spec; everything but the command and the root filesystem has Docker's default.
    public init(
        id: String, command: [String], rootfs: RootfsSpec, environment: [String] = [], workingDirectory: String = "/",
        user: String = "root", additionalGroups: [UInt32] = [], hostname: String = "", mounts: [BindMount] = [],
        network: ContainerNetwork = .host, hosts: [HostsEntry] = [], dns: DNSConfig = DNSConfig(),
        capAdd: [String] = [], capDrop: [String] = [], privileged: Bool = false, noNewPrivileges: Bool = false,
        seccomp: SeccompSetting = .default, tty: Bool = false, openStdin: Bool = false, stdinOnce: Bool = false,
        consoleSize: TerminalSize? = nil, logPath: String? = nil
    ) {
        self.id = id
        self.command = command
        self.rootfs = rootfs
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.user = user
        self.additionalGroups = additionalGroups
        self.hostname = hostname
        self.mounts = mounts
        self.network = network
        self.hosts = hosts
        self.dns = dns
        self.capAdd = capAdd
        self.capDrop = capDrop
        self.privileged = privileged
        self.noNewPrivileges = noNewPrivileges
        self.seccomp = seccomp
        self.tty = tty
        self.openStdin = openStdin
        self.stdinOnce = stdinOnce
        self.consoleSize = consoleSize
        self.logPath = logPath
    }
}
