import Glibc
import SpliceAPI
import SpliceEngine

extension ContainerRecord {
    /// `GET /containers/{id}/json`.
    func inspect(logPath: String) -> ContainerInspect {
        var inspect = ContainerInspect()
        inspect.Id = id
        inspect.Name = "/" + name
        inspect.Created = created
        inspect.Path = configuration.argv.first ?? ""
        inspect.Args = Array(configuration.argv.dropFirst())
        inspect.Image = configuration.imageID
        inspect.LogPath = logPath
        inspect.State.Status = state.status.rawValue
        inspect.State.Running = state.isRunning
        inspect.State.Dead = state.status == .dead
        inspect.State.OOMKilled = state.oomKilled
        inspect.State.Pid = Int(state.pid)
        inspect.State.ExitCode = Int(state.exitCode)
        inspect.State.Error = state.error
        inspect.State.StartedAt = state.startedAt ?? ContainerInspect.zeroTime
        inspect.State.FinishedAt = state.finishedAt ?? ContainerInspect.zeroTime
        inspect.State.Health = state.health.map(HealthState.init)

        let request = configuration.request
        var config = ContainerConfig()
        config.Hostname = configuration.hostname
        config.Domainname = ""
        config.User = request.user ?? ""
        config.AttachStdin = false
        config.AttachStdout = false
        config.AttachStderr = false
        config.Tty = request.tty
        config.OpenStdin = request.openStdin
        config.StdinOnce = request.stdinOnce
        config.ExposedPorts = request.exposedPorts.isEmpty
            ? nil : Dictionary(uniqueKeysWithValues: request.exposedPorts.map { ($0, EmptyObject()) })
        let anonymous = configuration.mounts.filter { $0.anonymous }.map(\.destination)
        config.Volumes = anonymous.isEmpty
            ? nil : Dictionary(anonymous.map { ($0, EmptyObject()) }) { first, _ in first }
        config.Env = configuration.env
        config.Cmd = configuration.cmd
        config.Image = request.image
        config.WorkingDir = request.workingDir ?? ""
        config.Entrypoint = configuration.entrypoint.isEmpty ? nil : configuration.entrypoint
        config.Labels = request.labels
        config.StopSignal = request.stopSignal
        config.MacAddress = request.macAddress
        config.StopTimeout = request.stopTimeout
        config.Healthcheck = request.healthcheck.map(HealthConfig.init)
        inspect.Config = config

        var host = HostConfig()
        host.NetworkMode = request.networkMode
        // docker-py's containers.run reads HostConfig.LogConfig.Type to decide whether it can fetch the logs.
        host.LogConfig = HostConfig.LogConfig(Type: request.logDriver.isEmpty ? "json-file" : request.logDriver,
                                              Config: request.logOptions)
        host.Binds = request.binds.isEmpty ? nil : request.binds
        host.AutoRemove = request.autoRemove
        host.Memory = request.memory
        host.NanoCpus = request.nanoCpus
        host.PublishAllPorts = request.publishAllPorts
        host.PortBindings = Self.portBindings(request.portBindings)
        host.RestartPolicy = .init(Name: request.restartPolicy.name.rawValue,
                                   MaximumRetryCount: request.restartPolicy.maximumRetryCount)
        host.ConsoleSize = request.consoleSize ?? [0, 0]
        host.VolumesFrom = request.volumesFrom.isEmpty ? nil : request.volumesFrom
        host.CapAdd = request.capAdd.isEmpty ? nil : request.capAdd
        host.CapDrop = request.capDrop.isEmpty ? nil : request.capDrop
        host.Privileged = request.privileged
        host.SecurityOpt = request.securityOpt.isEmpty ? nil : request.securityOpt
        host.Dns = request.dns
        host.DnsSearch = request.dnsSearch
        host.DnsOptions = request.dnsOptions
        host.ExtraHosts = request.extraHosts.isEmpty ? nil : request.extraHosts
        let links = configuration.links.map { "/\($0.targetName):/\(name)/\($0.alias)" }
        host.Links = links.isEmpty ? nil : links
        host.GroupAdd = request.groupAdd.isEmpty ? nil : request.groupAdd
        host.CpuShares = request.cpuShares
        host.CpusetCpus = request.cpusetCpus ?? ""
        host.PidsLimit = request.pidsLimit
        host.BlkioWeight = request.blkioWeight
        host.MemorySwap = request.memorySwap
        host.MemoryReservation = request.memoryReservation
        host.NanoCpus = request.nanoCpus
        host.CpuQuota = request.cpuQuota
        host.CpuPeriod = request.cpuPeriod
        host.CpusetMems = request.cpusetMems ?? ""
        host.ReadonlyRootfs = request.readonlyRootfs
        host.Devices = request.devices.map { text in
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            return HostConfig.DeviceMapping(
                PathOnHost: parts[0], PathInContainer: parts.count > 1 ? parts[1] : parts[0],
                CgroupPermissions: parts.count > 2 ? parts[2] : "rwm")
        }
        completeHostConfig(&host)
        inspect.HostConfig = host
        inspect.Mounts = configuration.mounts.map { mount in
            var point = ContainerInspect.MountPoint()
            point.Type = mount.kind.rawValue
            point.Name = mount.name
            point.Source = mount.source
            point.Destination = mount.destination
            point.Driver = mount.kind == .volume ? "local" : nil
            point.Mode = mount.kind == .volume && mount.mode.isEmpty ? "z" : mount.mode
            point.RW = !mount.readOnly
            let propagation = mount.mode.split(separator: ",").map(String.init)
                .first { ["private", "rprivate", "shared", "rshared", "slave", "rslave"].contains($0) }
            point.Propagation = mount.kind == .bind ? propagation ?? "rprivate" : ""
            return point
        }

        var network = NetworkSettings()
        if let endpoint {
            network.Bridge = endpoint.bridge
            network.IPAddress = endpoint.ipAddress
            network.IPPrefixLen = endpoint.prefixLength
            network.Gateway = endpoint.gateway
            network.MacAddress = endpoint.macAddress
            var settings = EndpointSettings()
            settings.IPAddress = endpoint.ipAddress
            settings.IPPrefixLen = endpoint.prefixLength
            settings.Gateway = endpoint.gateway
            settings.MacAddress = endpoint.macAddress
            network.Networks = ["bridge": settings]
            for port in endpoint.ports {
                let binding = HostConfig.PortBinding(HostIp: port.hostIP.isEmpty ? "0.0.0.0" : port.hostIP,
                                                     HostPort: String(port.hostPort))
                let key = "\(port.containerPort)/\(port.proto)"
                network.Ports[key] = ((network.Ports[key] ?? nil) ?? []) + [binding]
            }
            // As dockerd: exposed ports without a binding are keys with a null value.
            for key in configuration.request.exposedPortKeys where network.Ports[key] == nil {
                network.Ports.updateValue(nil, forKey: key)
            }
        }
        inspect.NetworkSettings = network
        return inspect
    }

    /// `GET /containers/json` entry.
    func summary(now: Int64) -> ContainerSummary {
        var summary = ContainerSummary()
        summary.Id = id
        summary.Names = ["/" + name]
        summary.Image = configuration.request.image
        summary.ImageID = configuration.imageID
        summary.Command = configuration.argv.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        summary.Created = createdSeconds
        summary.State = state.status.rawValue
        summary.Status = status(now: now)
        summary.Labels = configuration.request.labels
        summary.HostConfig = .init(NetworkMode: configuration.request.networkMode)
        summary.Ports = endpoint?.ports.map {
            ContainerSummary.Port(IP: $0.hostIP.isEmpty ? "0.0.0.0" : $0.hostIP, PrivatePort: $0.containerPort,
                                  PublicPort: $0.hostPort, Type: $0.proto)
        } ?? []
        if let endpoint {
            // As dockerd: a running container's exposed ports without a binding are listed as `80/tcp`.
            let published = Set(endpoint.ports.map { "\($0.containerPort)/\($0.proto)" })
            for key in configuration.request.exposedPortKeys where !published.contains(key) {
                let parts = key.split(separator: "/", maxSplits: 1)
                guard let port = parts.first.flatMap({ Int($0) }) else { continue }
                let proto = parts.count == 2 ? String(parts[1]) : "tcp"
                summary.Ports.append(ContainerSummary.Port(PrivatePort: port, Type: proto))
            }
            var settings = EndpointSettings()
            settings.IPAddress = endpoint.ipAddress
            settings.Gateway = endpoint.gateway
            settings.IPPrefixLen = endpoint.prefixLength
            summary.NetworkSettings = .init(Networks: ["bridge": settings])
        }
        return summary
    }

    /// `Up 5 seconds`, `Exited (3) 2 minutes ago`, `Created`.
    func status(now: Int64) -> String {
        switch state.status {
        case .running:
            // As dockerd: a container with a health check says how it is, `Up 3 seconds (healthy)`.
            let health = state.health.map { " (\($0.summary))" } ?? ""
            return "Up " + Self.duration(now - state.startedAtSeconds) + health
        case .paused: return "Up " + Self.duration(now - state.startedAtSeconds) + " (Paused)"
        case .restarting:
            return "Restarting (\(state.exitCode)) " + Self.duration(now - state.finishedAtSeconds) + " ago"
        case .exited: return "Exited (\(state.exitCode)) " + Self.duration(now - state.finishedAtSeconds) + " ago"
        case .created: return "Created"
        case .removing: return "Removal In Progress"
        case .dead: return "Dead"
        }
    }

    /// Docker's `units.HumanDuration`.
    static func duration(_ seconds: Int64) -> String {
        switch seconds {
        case ..<1: return "Less than a second"
        case 1: return "1 second"
        case ..<60: return "\(seconds) seconds"
        case ..<120: return "About a minute"
        case ..<3600: return "\(seconds / 60) minutes"
        case ..<7200: return "About an hour"
        case ..<(48 * 3600): return "\(seconds / 3600) hours"
        default: return "\(seconds / 86400) days"
        }
    }

    /// `-p` texts back to Docker's `PortBindings` map.
    static func portBindings(_ texts: [String]) -> [String: [HostConfig.PortBinding]]? {
        guard !texts.isEmpty else { return nil }
        var result: [String: [HostConfig.PortBinding]] = [:]
        for text in texts {
            var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            var container = parts.removeLast()
            if !container.contains("/") { container += "/tcp" }
            let hostPort = parts.popLast() ?? ""
            let hostIP = parts.joined(separator: ":")
            result[container, default: []].append(HostConfig.PortBinding(HostIp: hostIP, HostPort: hostPort))
        }
        return result
    }
}
