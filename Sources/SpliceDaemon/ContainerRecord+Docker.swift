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
        inspect.State.Pid = Int(state.pid)
        inspect.State.ExitCode = Int(state.exitCode)
        inspect.State.Error = state.error
        inspect.State.StartedAt = state.startedAt ?? ContainerInspect.zeroTime
        inspect.State.FinishedAt = state.finishedAt ?? ContainerInspect.zeroTime

        let request = configuration.request
        var config = ContainerConfig()
        config.Hostname = configuration.hostname
        config.Domainname = ""
        config.User = request.user ?? ""
        config.AttachStdin = false
        config.AttachStdout = false
        config.AttachStderr = false
        config.Tty = false
        config.OpenStdin = false
        config.StdinOnce = false
        config.Env = configuration.env
        config.Cmd = configuration.cmd
        config.Image = request.image
        config.WorkingDir = request.workingDir ?? ""
        config.Entrypoint = configuration.entrypoint.isEmpty ? nil : configuration.entrypoint
        config.Labels = request.labels
        inspect.Config = config

        var host = HostConfig()
        host.NetworkMode = request.networkMode
        host.Binds = request.binds.isEmpty ? nil : request.binds
        host.AutoRemove = request.autoRemove
        host.Memory = request.memory
        host.PortBindings = Self.portBindings(request.portBindings)
        inspect.HostConfig = host

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
                network.Ports["\(port.containerPort)/\(port.proto)", default: []] = [
                    HostConfig.PortBinding(HostIp: port.hostIP.isEmpty ? "0.0.0.0" : port.hostIP,
                                           HostPort: String(port.hostPort)),
                ]
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
        case .running: return "Up " + Self.duration(now - state.startedAtSeconds)
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
