import DockerModels

extension DockerModels.ContainerConfig {
    /// The API's form of an image's run defaults (`Config` of `docker inspect <image>`): the fields a container
    /// sets empty or false, the image's own fields as it stores them (`Shell` is not shown).
    public init(image config: SpliceImages.ContainerConfig?) {
        self.init()
        Hostname = ""
        Domainname = ""
        User = config?.user ?? ""
        AttachStdin = false
        AttachStdout = false
        AttachStderr = false
        ExposedPorts = config?.exposedPorts
        Tty = false
        OpenStdin = false
        StdinOnce = false
        Env = config?.env
        Cmd = config?.cmd
        Image = ""
        Volumes = config?.volumes
        WorkingDir = config?.workingDir ?? ""
        Entrypoint = config?.entrypoint
        OnBuild = config?.onBuild
        Labels = config?.labels
        StopSignal = config?.stopSignal
        Healthcheck = config?.healthcheck?.api
    }
}

extension SpliceImages.ContainerConfig {
    /// The image run defaults a `docker commit` body's config sets (`POST /commit`); the container-only fields
    /// (host name, TTY, stdio) have no place in an image and are left out, and a health check without a test is
    /// ignored (dockerd's "inherit").
    public init(_ config: DockerModels.ContainerConfig) {
        self.init()
        user = config.User
        exposedPorts = config.ExposedPorts
        env = config.Env
        entrypoint = config.Entrypoint
        cmd = config.Cmd
        volumes = config.Volumes
        workingDir = config.WorkingDir
        labels = config.Labels
        stopSignal = config.StopSignal
        healthcheck = config.Healthcheck.flatMap(Healthcheck.init)
        onBuild = config.OnBuild
    }
}

extension SpliceImages.ContainerConfig.Healthcheck {
    /// An image's health check from the API's form; nil without a test.
    init?(_ check: HealthConfig) {
        guard let test = check.Test else { return nil }
        self.init(test: test)
        interval = check.Interval
        timeout = check.Timeout
        startPeriod = check.StartPeriod
        startInterval = check.StartInterval
        retries = check.Retries
    }

    /// The API's form of the health check.
    var api: HealthConfig {
        var check = HealthConfig()
        check.Test = test
        check.Interval = interval
        check.Timeout = timeout
        check.StartPeriod = startPeriod
        check.StartInterval = startInterval
        check.Retries = retries
        return check
    }
}
