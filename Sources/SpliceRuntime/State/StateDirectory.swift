/// The files of one container's state directory, which the engine owns and `splice-init` writes into.
public struct StateDirectory: Sendable, Equatable {
    /// The directory.
    public let path: String

    /// Names the state directory at `path`.
    public init(_ path: String) { self.path = path }

    /// The spec `start` writes for `splice-init`.
    public var spec: String { path + "/config.json" }
    /// The monitor's own diagnostics (its stdout and stderr).
    public var initLog: String { path + "/init.log" }
    /// The container's output in json-file format, unless the spec names another path.
    public var containerLog: String { path + "/container.log" }
    /// `{monitorPid, containerPid}` once the container runs.
    public var state: String { path + "/state.json" }
    /// `ContainerExit` once it ended.
    public var exit: String { path + "/exit.json" }
    /// The overlay mount point.
    public var rootfs: String { path + "/rootfs" }
    /// The file bind-mounted on `/etc/hostname`.
    public var hostname: String { path + "/hostname" }
    /// The file bind-mounted on `/etc/hosts`.
    public var hosts: String { path + "/hosts" }
    /// The monitor's socket for attached clients (output, stdin, resize).
    public var attachSocket: String { path + "/attach.sock" }
    /// The file bind-mounted on `/etc/resolv.conf`.
    public var resolvConf: String { path + "/resolv.conf" }
}
