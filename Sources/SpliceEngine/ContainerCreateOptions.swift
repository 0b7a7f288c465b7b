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
    /// `HostConfig.Binds`: `/host:/ctr[:ro]` bind mounts and `name:/ctr[:ro]` named volumes.
    public var binds: [String] = []
    /// `HostConfig.AutoRemove`.
    public var autoRemove: Bool = false
    /// `HostConfig.Memory` in bytes, 0 for none.
    public var memory: Int64 = 0
    /// `Labels`.
    public var labels: [String: String] = [:]
    /// `Config.ExposedPorts` keys, such as `80/tcp`.
    public var exposedPorts: [String] = []
    /// `Config.Volumes` keys: anonymous volumes (`-v /ctr`).
    public var volumes: [String] = []
    /// `HostConfig.VolumesFrom`: `container[:ro|rw]`.
    public var volumesFrom: [String] = []
    /// `HostConfig.CapAdd` (`NET_ADMIN`, `CAP_NET_ADMIN` or `ALL`).
    public var capAdd: [String] = []
    /// `HostConfig.CapDrop`.
    public var capDrop: [String] = []
    /// `HostConfig.Privileged`.
    public var privileged: Bool = false
    /// `HostConfig.SecurityOpt`: `seccomp=…`, `no-new-privileges[:bool]`, `apparmor=…`, `label=…`.
    public var securityOpt: [String] = []
    /// `HostConfig.Dns`: resolvers.
    public var dns: [String] = []
    /// `HostConfig.DnsSearch`: search domains.
    public var dnsSearch: [String] = []
    /// `HostConfig.DnsOptions`: resolv.conf options.
    public var dnsOptions: [String] = []
    /// `HostConfig.ExtraHosts`: `name:ip` lines for `/etc/hosts`.
    public var extraHosts: [String] = []
    /// `HostConfig.Links`: `name[:alias]`.
    public var links: [String] = []
    /// `HostConfig.GroupAdd`: supplementary group names or ids.
    public var groupAdd: [String] = []
    /// `HostConfig.CpuShares`, 0 for the default.
    public var cpuShares: Int64 = 0
    /// `HostConfig.CpusetCpus`, such as `0-1`; nil or empty for all.
    public var cpusetCpus: String?
    /// `HostConfig.PidsLimit`; nil, 0 or negative for unlimited.
    public var pidsLimit: Int64?
    /// `HostConfig.BlkioWeight` (10…1000), 0 for the default.
    public var blkioWeight: Int = 0
    /// `HostConfig.Devices` as `--device` texts, `/dev/host:/dev/ctr:rwm`.
    public var devices: [String] = []
    /// `HostConfig.ReadonlyRootfs`.
    public var readonlyRootfs: Bool = false
    /// `HostConfig.MemorySwap`: memory plus swap in bytes; 0 for Docker's default (twice the memory), -1 unlimited.
    public var memorySwap: Int64 = 0
    /// `HostConfig.MemoryReservation`: the memory soft limit in bytes; 0 for none.
    public var memoryReservation: Int64 = 0
    /// `HostConfig.NanoCpus` (`--cpus` × 10⁹); 0 for none.
    public var nanoCpus: Int64 = 0
    /// `HostConfig.CpuQuota`: CFS quota in microseconds; 0 for none.
    public var cpuQuota: Int64 = 0
    /// `HostConfig.CpuPeriod`: CFS period in microseconds; 0 for the kernel's.
    public var cpuPeriod: Int64 = 0
    /// `HostConfig.CpusetMems`: memory nodes allowed; nil for all.
    public var cpusetMems: String?

    /// Creates options for `image`.
    public init(image: String) { self.image = image }

    private enum CodingKeys: String, CodingKey {
        case image, cmd, entrypoint, env, workingDir, hostname, user, tty, openStdin, stdinOnce, consoleSize
        case restartPolicy, networkMode, portBindings, binds, autoRemove, memory, labels, exposedPorts, volumes
        case volumesFrom, capAdd, capDrop, privileged, securityOpt, dns, dnsSearch, dnsOptions, extraHosts, links
        case groupAdd, cpuShares, cpusetCpus, pidsLimit, blkioWeight, devices, readonlyRootfs
        case memorySwap, memoryReservation, nanoCpus, cpuQuota, cpuPeriod, cpusetMems
    }

    /// Decodes options; every key but `image` may be missing (records written by older versions).
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(image: try values.decode(String.self, forKey: .image))
        func read<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try values.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        cmd = try values.decodeIfPresent([String].self, forKey: .cmd)
        entrypoint = try values.decodeIfPresent([String].self, forKey: .entrypoint)
        env = try read(.env, env)
        workingDir = try values.decodeIfPresent(String.self, forKey: .workingDir)
        hostname = try values.decodeIfPresent(String.self, forKey: .hostname)
        user = try values.decodeIfPresent(String.self, forKey: .user)
        tty = try read(.tty, tty)
        openStdin = try read(.openStdin, openStdin)
        stdinOnce = try read(.stdinOnce, stdinOnce)
        consoleSize = try values.decodeIfPresent([Int].self, forKey: .consoleSize)
        restartPolicy = try read(.restartPolicy, restartPolicy)
        networkMode = try read(.networkMode, networkMode)
        portBindings = try read(.portBindings, portBindings)
        binds = try read(.binds, binds)
        autoRemove = try read(.autoRemove, autoRemove)
        memory = try read(.memory, memory)
        labels = try read(.labels, labels)
        exposedPorts = try read(.exposedPorts, exposedPorts)
        volumes = try read(.volumes, volumes)
        volumesFrom = try read(.volumesFrom, volumesFrom)
        capAdd = try read(.capAdd, capAdd)
        capDrop = try read(.capDrop, capDrop)
        privileged = try read(.privileged, privileged)
        securityOpt = try read(.securityOpt, securityOpt)
        dns = try read(.dns, dns)
        dnsSearch = try read(.dnsSearch, dnsSearch)
        dnsOptions = try read(.dnsOptions, dnsOptions)
        extraHosts = try read(.extraHosts, extraHosts)
        links = try read(.links, links)
        groupAdd = try read(.groupAdd, groupAdd)
        cpuShares = try read(.cpuShares, cpuShares)
        cpusetCpus = try values.decodeIfPresent(String.self, forKey: .cpusetCpus)
        pidsLimit = try values.decodeIfPresent(Int64.self, forKey: .pidsLimit)
        blkioWeight = try read(.blkioWeight, blkioWeight)
        devices = try read(.devices, devices)
        readonlyRootfs = try read(.readonlyRootfs, readonlyRootfs)
        memorySwap = try read(.memorySwap, memorySwap)
        memoryReservation = try read(.memoryReservation, memoryReservation)
        nanoCpus = try read(.nanoCpus, nanoCpus)
        cpuQuota = try read(.cpuQuota, cpuQuota)
        cpuPeriod = try read(.cpuPeriod, cpuPeriod)
        cpusetMems = try values.decodeIfPresent(String.self, forKey: .cpusetMems)
    }
}
