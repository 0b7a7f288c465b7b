import SpliceAPI
import SpliceEngine

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
        labels = config.Labels ?? [:]
        if let host = request.hostConfig {
            networkMode = host.NetworkMode.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
            binds = host.Binds ?? []
            autoRemove = host.AutoRemove ?? false
            memory = host.Memory ?? 0
            for (containerPort, bindings) in (host.PortBindings ?? [:]).sorted(by: { $0.key < $1.key }) {
                for binding in bindings {
                    let hostIP = binding.HostIp ?? ""
                    let hostPort = binding.HostPort ?? ""
                    switch (hostIP.isEmpty, hostPort.isEmpty) {
                    case (true, true): portBindings.append(containerPort)
                    case (true, false): portBindings.append("\(hostPort):\(containerPort)")
                    case (false, _): portBindings.append("\(hostIP):\(hostPort):\(containerPort)")
                    }
                }
            }
        }
        if config.NetworkDisabled == true { networkMode = "none" }
    }
}
