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

    /// The argv the container runs: entrypoint then command.
    public var argv: [String] { entrypoint + cmd }
}
