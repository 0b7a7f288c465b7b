/// What a client asks for when it creates a container (the engine's view of `POST /containers/create`).
public struct ContainerCreateOptions: Codable, Sendable, Equatable {
    /// The image reference as typed.
    public var image: String
    /// `Cmd`; nil when not given.
    public var cmd: [String]?
    /// `Entrypoint`; nil when not given, empty (or `[""]`) to reset the image's.
    public var entrypoint: [String]?
    /// `Env` entries, `NAME=value`.
    public var env: [String] = []
    /// `WorkingDir`; nil or empty for the image's.
    public var workingDir: String?
    /// `Hostname`; nil or empty for the id's first 12 characters.
    public var hostname: String?
    /// `User`; nil or empty for the image's.
    public var user: String?
    /// `Tty`: pid 1 gets a pseudo-terminal.
    public var tty: Bool = false
    /// `OpenStdin` (`-i`): stdin stays open for attached clients.
    public var openStdin: Bool = false
    /// `StdinOnce`: stdin closes once the first attached client detaches.
    public var stdinOnce: Bool = false
    /// `HostConfig.ConsoleSize` as rows and columns, when given.
    public var consoleSize: [Int]?
    /// `HostConfig.RestartPolicy`.
    public var restartPolicy: RestartPolicy = RestartPolicy()
    /// `HostConfig.NetworkMode`: `bridge`/`default`, `host`, `none`, `container:NAME`.
    public var networkMode: String = "default"
    /// `HostConfig.PortBindings` as `-p` texts (`[hostIP:]hostPort:containerPort/proto`).
    public var portBindings: [String] = []
    /// `HostConfig.Binds`, `source:target[:ro]`.
    public var binds: [String] = []
    /// `HostConfig.AutoRemove`.
    public var autoRemove: Bool = false
    /// `HostConfig.Memory` in bytes, 0 for none.
    public var memory: Int64 = 0
    /// `Labels`.
    public var labels: [String: String] = [:]

    /// Creates options for `image`.
    public init(image: String) { self.image = image }
}
