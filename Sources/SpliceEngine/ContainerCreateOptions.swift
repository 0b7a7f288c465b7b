import struct SpliceRuntime.DeviceThrottle
import struct SpliceRuntime.DeviceWeight
import struct SpliceRuntime.ResourceLimit

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
    /// `HostConfig.PublishAllPorts` (`-P`): every exposed port without a binding gets a dynamic host port.
    public var publishAllPorts: Bool = false
    /// `MacAddress` of the default endpoint (`--mac-address`); nil for Docker's address derived from the IP.
    public var macAddress: String?
    /// `Config.StopSignal` (`--stop-signal`); nil for SIGTERM.
    public var stopSignal: String?
    /// `HostConfig.NanoCpus` (`--cpus`): CPU time in billionths of a CPU, 0 for no quota.
    public var nanoCpus: Int64 = 0
    /// `HostConfig.PidMode`: empty (a pid namespace of its own) or `host`.
    public var pidMode: String = ""
    /// `HostConfig.UTSMode`: empty (a UTS namespace of its own) or `host`.
    public var utsMode: String = ""
    /// `HostConfig.IpcMode` (`--ipc`): empty, `private` or `shareable` (an IPC namespace of its own), `none` (one
    /// without `/dev/shm`), `host`, or `container:NAME` (that running container's, with its `/dev/shm`).
    public var ipcMode: String = ""
    /// `HostConfig.OomScoreAdj` (`--oom-score-adj`): the first process's `oom_score_adj`, -1000 to 1000.
    public var oomScoreAdjust: Int = 0
    /// `HostConfig.OomKillDisable` (`--oom-kill-disable`): the kernel's OOM killer leaves the container alone (v1).
    public var oomKillDisable = false
    /// `HostConfig.BlkioDeviceReadBps`, `…WriteBps`, `…ReadIOps`, `…WriteIOps`: per-device block I/O limits.
    public var deviceThrottles: [DeviceThrottle] = []
    /// `HostConfig.KernelMemory` and `KernelMemoryTCP` (`--kernel-memory`): v1 kernel memory limits in bytes, 0 for
    /// none (deprecated by Docker, still applied by dockerd 20.10 where the kernel has them).
    public var kernelMemory: Int64 = 0
    public var kernelMemoryTCP: Int64 = 0
    /// `HostConfig.CpuRealtimePeriod` and `CpuRealtimeRuntime` (`--cpu-rt-period`, `--cpu-rt-runtime`): the
    /// container's real-time scheduling budget in microseconds (v1 `cpu.rt_*`), 0 for the default.
    public var cpuRealtimePeriod: Int64 = 0
    public var cpuRealtimeRuntime: Int64 = 0
    /// `HostConfig.CgroupParent` (`--cgroup-parent`): the cgroup the container's is made in, as given (absolute or
    /// relative, both below each hierarchy's root as dockerd's cgroupfs driver places them); empty for Splice's.
    public var cgroupParent: String = ""
    /// `HostConfig.BlkioWeightDevice` (`--blkio-weight-device`): per-device block I/O weights.
    public var deviceWeights: [DeviceWeight] = []
    /// `--userns`: `""` (the daemon's `--userns-remap`, if any) or `host` (the host's user namespace).
    public var usernsMode: String = ""
    /// `HostConfig.CgroupnsMode`: empty for the host's default, `host` or `private`.
    public var cgroupnsMode: String = ""
    /// `HostConfig.Tmpfs`: container path to tmpfs mount options (`size=64m,mode=1777`).
    public var tmpfs: [String: String] = [:]
    /// `HostConfig.Sysctls`: namespaced kernel parameters, `net.ipv4.ip_forward` → `1`.
    public var sysctls: [String: String] = [:]
    /// `HostConfig.ShmSize`: the size of `/dev/shm` in bytes; 0 for Docker's 64 MiB.
    public var shmSize: Int64 = 0
    /// `HostConfig.Ulimits`: resource limits of the container's first process.
    public var ulimits: [ResourceLimit] = []
    /// `HostConfig.Init`: run a minimal init as pid 1 (nil: the daemon's default, none).
    public var initProcess: Bool?
    /// `HostConfig.DeviceCgroupRules`: extra device cgroup rules (`c 1:3 mr`).
    public var deviceCgroupRules: [String] = []
    /// `HostConfig.MemorySwap` in bytes (memory plus swap), -1 for unlimited, 0 for Docker's default (twice the
    /// memory limit).
    public var memorySwap: Int64 = 0
    /// `HostConfig.MemorySwappiness` (0…100); nil for the kernel's default.
    public var memorySwappiness: Int64?
    /// `Config.StopTimeout`: seconds `stop` waits before SIGKILL; nil for 10.
    public var stopTimeout: Int?
    /// `HostConfig.Mounts` (`--mount`).
    public var mounts: [MountOption] = []
    /// `HostConfig.LogConfig.Type`: `json-file` (empty: the default) or `none`.
    public var logDriver: String = ""
    /// `HostConfig.LogConfig.Config` (`max-size`, `max-file` …).
    public var logOptions: [String: String] = [:]
    /// `HostConfig.MemoryReservation`: the memory soft limit in bytes; 0 for none.
    public var memoryReservation: Int64 = 0
    /// `HostConfig.CpuQuota`: CFS quota in microseconds; 0 for none.
    public var cpuQuota: Int64 = 0
    /// `HostConfig.CpuPeriod`: CFS period in microseconds; 0 for the kernel's.
    public var cpuPeriod: Int64 = 0
    /// `HostConfig.CpusetMems`: memory nodes allowed; nil for all.
    public var cpusetMems: String?
    /// `Config.Healthcheck`: the request's health check, merged with the image's at create; nil for the image's.
    public var healthcheck: HealthcheckConfig?

    /// Creates options for `image`.
    public init(image: String) { self.image = image }

    private enum CodingKeys: String, CodingKey {
        case image, cmd, entrypoint, env, workingDir, hostname, user, tty, openStdin, stdinOnce, consoleSize
        case restartPolicy, networkMode, portBindings, binds, autoRemove, memory, labels, exposedPorts, volumes
        case volumesFrom, capAdd, capDrop, privileged, securityOpt, dns, dnsSearch, dnsOptions, extraHosts, links
        case groupAdd, cpuShares, cpusetCpus, pidsLimit, blkioWeight, devices, readonlyRootfs
        case publishAllPorts, macAddress, stopSignal, nanoCpus
        case pidMode, utsMode, cgroupnsMode, tmpfs, initProcess, deviceCgroupRules, memorySwap, memorySwappiness
        case stopTimeout, mounts, logDriver, logOptions, usernsMode
        case memoryReservation, cpuQuota, cpuPeriod, cpusetMems, healthcheck, sysctls, shmSize, ulimits
        case ipcMode, oomScoreAdjust, oomKillDisable, deviceThrottles, kernelMemory, kernelMemoryTCP
        case cpuRealtimePeriod, cpuRealtimeRuntime, cgroupParent, deviceWeights
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
        publishAllPorts = try read(.publishAllPorts, publishAllPorts)
        macAddress = try values.decodeIfPresent(String.self, forKey: .macAddress)
        stopSignal = try values.decodeIfPresent(String.self, forKey: .stopSignal)
        nanoCpus = try read(.nanoCpus, nanoCpus)
        pidMode = try read(.pidMode, pidMode)
        utsMode = try read(.utsMode, utsMode)
        usernsMode = try read(.usernsMode, usernsMode)
        cgroupnsMode = try read(.cgroupnsMode, cgroupnsMode)
        tmpfs = try read(.tmpfs, tmpfs)
        sysctls = try read(.sysctls, sysctls)
        shmSize = try read(.shmSize, shmSize)
        ulimits = try read(.ulimits, ulimits)
        ipcMode = try read(.ipcMode, ipcMode)
        oomScoreAdjust = try read(.oomScoreAdjust, oomScoreAdjust)
        oomKillDisable = try read(.oomKillDisable, oomKillDisable)
        deviceThrottles = try read(.deviceThrottles, deviceThrottles)
        kernelMemory = try read(.kernelMemory, kernelMemory)
        kernelMemoryTCP = try read(.kernelMemoryTCP, kernelMemoryTCP)
        cpuRealtimePeriod = try read(.cpuRealtimePeriod, cpuRealtimePeriod)
        cpuRealtimeRuntime = try read(.cpuRealtimeRuntime, cpuRealtimeRuntime)
        cgroupParent = try read(.cgroupParent, cgroupParent)
        deviceWeights = try read(.deviceWeights, deviceWeights)
        initProcess = try values.decodeIfPresent(Bool.self, forKey: .initProcess)
        deviceCgroupRules = try read(.deviceCgroupRules, deviceCgroupRules)
        memorySwap = try read(.memorySwap, memorySwap)
        memorySwappiness = try values.decodeIfPresent(Int64.self, forKey: .memorySwappiness)
        stopTimeout = try values.decodeIfPresent(Int.self, forKey: .stopTimeout)
        mounts = try read(.mounts, mounts)
        logDriver = try read(.logDriver, logDriver)
        logOptions = try read(.logOptions, logOptions)
        memoryReservation = try read(.memoryReservation, memoryReservation)
        cpuQuota = try read(.cpuQuota, cpuQuota)
        cpuPeriod = try read(.cpuPeriod, cpuPeriod)
        cpusetMems = try values.decodeIfPresent(String.self, forKey: .cpusetMems)
        healthcheck = try values.decodeIfPresent(HealthcheckConfig.self, forKey: .healthcheck)
    }
}
