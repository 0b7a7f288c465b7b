import SpliceAPI
import SpliceEngine
import struct SpliceRuntime.ResourceLimit
import struct SpliceRuntime.DeviceThrottle
import struct SpliceRuntime.DeviceWeight
import struct DockerModels.ThrottleDevice
import struct DockerModels.WeightDevice
import struct EngineErrors.EngineError

extension ContainerCreateOptions {
    /// The engine's options from a Docker create request.
    init(_ request: ContainerCreateRequest) throws(EngineError) {
        guard let image = request.config.Image, !image.isEmpty else {
            throw EngineError(.invalidArgument, "Config cannot be empty in order to create a container")
        }
        self.init(image: image)
        let config = request.config
        cmd = config.Cmd
        entrypoint = config.Entrypoint
        env = config.Env ?? []
        workingDir = config.WorkingDir
        hostname = config.Hostname
        user = config.User
        tty = config.Tty ?? false
        openStdin = config.OpenStdin ?? false
        stdinOnce = config.StdinOnce ?? false
        labels = config.Labels ?? [:]
        exposedPorts = (config.ExposedPorts ?? [:]).keys.sorted()
        volumes = (config.Volumes ?? [:]).keys.sorted()
        stopSignal = config.StopSignal.flatMap { $0.isEmpty ? nil : $0 }
        macAddress = config.MacAddress.flatMap { $0.isEmpty ? nil : $0 }
            ?? request.networkingConfig?.EndpointsConfig?.values.compactMap(\.MacAddress).first { !$0.isEmpty }
        stopTimeout = config.StopTimeout
        healthcheck = config.Healthcheck.map(HealthcheckConfig.init)
        if let host = request.hostConfig {
            consoleSize = host.ConsoleSize.flatMap { $0.count == 2 && $0 != [0, 0] ? $0 : nil }
            restartPolicy = try Self.restartPolicy(host.RestartPolicy)
            volumesFrom = host.VolumesFrom ?? []
            capAdd = host.CapAdd ?? []
            capDrop = host.CapDrop ?? []
            privileged = host.Privileged ?? false
            securityOpt = host.SecurityOpt ?? []
            dns = host.Dns ?? []
            dnsSearch = host.DnsSearch ?? []
            dnsOptions = host.DnsOptions ?? []
            extraHosts = host.ExtraHosts ?? []
            links = host.Links ?? []
            groupAdd = host.GroupAdd ?? []
            cpuShares = host.CpuShares ?? 0
            cpusetCpus = host.CpusetCpus.flatMap { $0.isEmpty ? nil : $0 }
            pidsLimit = host.PidsLimit
            blkioWeight = host.BlkioWeight ?? 0
            readonlyRootfs = host.ReadonlyRootfs ?? false
            publishAllPorts = host.PublishAllPorts ?? false
            nanoCpus = host.NanoCpus ?? 0
            pidMode = host.PidMode ?? ""
            utsMode = host.UTSMode ?? ""
            ipcMode = host.IpcMode ?? ""
            oomScoreAdjust = host.OomScoreAdj ?? 0
            oomKillDisable = host.OomKillDisable ?? false
            let throttles: [(DeviceThrottle.Kind, [ThrottleDevice]?)] = [
                (.readBps, host.BlkioDeviceReadBps), (.writeBps, host.BlkioDeviceWriteBps),
                (.readIOps, host.BlkioDeviceReadIOps), (.writeIOps, host.BlkioDeviceWriteIOps),
            ]
            deviceThrottles = throttles.flatMap { kind, devices in
                (devices ?? []).map { DeviceThrottle(kind: kind, path: $0.Path, rate: $0.Rate) }
            }
            kernelMemory = host.KernelMemory ?? 0
            kernelMemoryTCP = host.KernelMemoryTCP ?? 0
            cpuRealtimePeriod = host.CpuRealtimePeriod ?? 0
            cpuRealtimeRuntime = host.CpuRealtimeRuntime ?? 0
            cgroupParent = host.CgroupParent ?? ""
            deviceWeights = (host.BlkioWeightDevice ?? []).map { DeviceWeight(path: $0.Path, weight: $0.Weight) }
            usernsMode = host.UsernsMode ?? ""
            cgroupnsMode = host.CgroupnsMode ?? ""
            tmpfs = host.Tmpfs ?? [:]
            sysctls = host.Sysctls ?? [:]
            shmSize = host.ShmSize ?? 0
            ulimits = (host.Ulimits ?? []).map { ResourceLimit(name: $0.Name, soft: $0.Soft, hard: $0.Hard) }
            initProcess = host.Init
            deviceCgroupRules = host.DeviceCgroupRules ?? []
            memorySwap = host.MemorySwap ?? 0
            memorySwappiness = host.MemorySwappiness.flatMap { $0 == -1 ? nil : $0 }
            mounts = try (host.Mounts ?? []).map { mount throws(EngineError) in try MountOption(mount) }
            logDriver = host.LogConfig?.Type ?? ""
            logOptions = host.LogConfig?.Config ?? [:]
            devices = (host.Devices ?? []).map { device in
                let source = device.PathOnHost ?? ""
                let target = device.PathInContainer.flatMap { $0.isEmpty ? nil : $0 } ?? source
                let permissions = device.CgroupPermissions.flatMap { $0.isEmpty ? nil : $0 } ?? "rwm"
                return "\(source):\(target):\(permissions)"
            }
            networkMode = host.NetworkMode.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
            binds = host.Binds ?? []
            autoRemove = host.AutoRemove ?? false
            memory = host.Memory ?? 0
            memorySwap = host.MemorySwap ?? 0
            memoryReservation = host.MemoryReservation ?? 0
            nanoCpus = host.NanoCpus ?? 0
            cpuQuota = host.CpuQuota ?? 0
            cpuPeriod = host.CpuPeriod ?? 0
            cpusetMems = host.CpusetMems.flatMap { $0.isEmpty ? nil : $0 }
            for (containerPort, bindings) in (host.PortBindings ?? [:]).sorted(by: { $0.key < $1.key }) {
                for binding in bindings {
                    let hostIP = binding.HostIp ?? ""
                    // Host port 0 asks for a dynamic port, as an empty one does (dockerd).
                    let hostPort = binding.HostPort.flatMap { $0 == "0" ? nil : $0 } ?? ""
                    switch (hostIP.isEmpty, hostPort.isEmpty) {
                    case (true, true): portBindings.append(containerPort)
                    case (true, false): portBindings.append("\(hostPort):\(containerPort)")
                    case (false, _):
                        // An IPv6 address goes in brackets, as the port-spec parser reads it.
                        let address = hostIP.contains(":") && !hostIP.hasPrefix("[") ? "[\(hostIP)]" : hostIP
                        portBindings.append("\(address):\(hostPort):\(containerPort)")
                    }
                }
            }
        }
        if config.NetworkDisabled == true { networkMode = "none" }
    }

    /// `HostConfig.RestartPolicy` with dockerd's error for an unknown name.
    static func restartPolicy(_ policy: HostConfig.RestartPolicy?) throws(EngineError) -> RestartPolicy {
        let name = policy?.Name ?? ""
        let count = policy?.MaximumRetryCount ?? 0
        switch name {
        case "", "no": return RestartPolicy(name: .no, maximumRetryCount: count)
        case "always": return RestartPolicy(name: .always, maximumRetryCount: count)
        case "unless-stopped": return RestartPolicy(name: .unlessStopped, maximumRetryCount: count)
        case "on-failure": return RestartPolicy(name: .onFailure, maximumRetryCount: count)
        default:
            throw EngineError(.invalidArgument, "invalid restart policy: unknown policy '\(name)'; use one of 'no',"
                + " 'always', 'on-failure', or 'unless-stopped'")
        }
    }
}
