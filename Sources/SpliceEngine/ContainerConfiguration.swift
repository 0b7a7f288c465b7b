/// What a container runs, resolved at create time from the request and the image.
public struct ContainerConfiguration: Codable, Sendable, Equatable {
    /// The request as the client sent it.
    public var request: ContainerCreateOptions
    /// The image id (`sha256:<hex>`).
    public var imageID: String
    /// The resolved entrypoint.
    public var entrypoint: [String]
    /// The resolved command (arguments after the entrypoint).
    public var cmd: [String]
    /// The merged environment.
    public var env: [String]
    /// The working directory (`/` when neither request nor image set one).
    public var workingDir: String
    /// The user (`root` when neither request nor image set one).
    public var user: String
    /// The hostname.
    public var hostname: String
    /// Binds and volumes, resolved (inspect's `Mounts`), in mount order.
    public var mounts: [VolumeMount] = []
    /// Legacy links, resolved.
    public var links: [ContainerLink] = []
    /// What the create response warned about (options accepted but not applied).
    public var warnings: [String] = []

    /// Creates a configuration.
    public init(request: ContainerCreateOptions, imageID: String, entrypoint: [String], cmd: [String], env: [String],
                workingDir: String, user: String, hostname: String) {
        self.request = request
        self.imageID = imageID
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.hostname = hostname
    }

    private enum CodingKeys: String, CodingKey {
        case request, imageID, entrypoint, cmd, env, workingDir, user, hostname, mounts, links, warnings
    }

    /// Decodes a configuration; `mounts`, `links` and `warnings` may be missing (older records).
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            request: try values.decode(ContainerCreateOptions.self, forKey: .request),
            imageID: try values.decode(String.self, forKey: .imageID),
            entrypoint: try values.decode([String].self, forKey: .entrypoint),
            cmd: try values.decode([String].self, forKey: .cmd), env: try values.decode([String].self, forKey: .env),
            workingDir: try values.decode(String.self, forKey: .workingDir),
            user: try values.decode(String.self, forKey: .user),
            hostname: try values.decode(String.self, forKey: .hostname))
        mounts = try values.decodeIfPresent([VolumeMount].self, forKey: .mounts) ?? []
        links = try values.decodeIfPresent([ContainerLink].self, forKey: .links) ?? []
        warnings = try values.decodeIfPresent([String].self, forKey: .warnings) ?? []
    }

    /// The argv the container runs: entrypoint then command.
    public var argv: [String] { entrypoint + cmd }
}
