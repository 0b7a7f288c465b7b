/// What `GET /images/{name}/json` (`docker inspect`) returns, with dockerd's field names and shape.
public struct ImageInspect: Hashable, Sendable, Codable {
    /// `sha256:<hex>`.
    public var id: String
    /// The tags.
    public var repoTags: [String]
    /// Registry digests.
    public var repoDigests: [String]
    /// The parent image id, or empty.
    public var parent: String
    /// The image comment.
    public var comment: String
    /// RFC 3339 creation time with nanoseconds.
    public var created: String
    /// The container a commit came from, or empty.
    public var container: String
    /// The committed container's config (the run defaults for imported images).
    public var containerConfig: Config
    /// The Docker version that built the image, or empty.
    public var dockerVersion: String
    /// The author.
    public var author: String
    /// The run defaults.
    public var config: Config
    /// `amd64`.
    public var architecture: String
    /// `linux`.
    public var os: String
    /// The size of the layers.
    public var size: Int64
    /// The size including parents.
    public var virtualSize: Int64
    /// Where the layers live on disk.
    public var graphDriver: GraphDriver
    /// The layer diff ids.
    public var rootFS: RootFS
    /// Store metadata.
    public var metadata: Metadata

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case repoTags = "RepoTags"
        case repoDigests = "RepoDigests"
        case parent = "Parent"
        case comment = "Comment"
        case created = "Created"
        case container = "Container"
        case containerConfig = "ContainerConfig"
        case dockerVersion = "DockerVersion"
        case author = "Author"
        case config = "Config"
        case architecture = "Architecture"
        case os = "Os"
        case size = "Size"
        case virtualSize = "VirtualSize"
        case graphDriver = "GraphDriver"
        case rootFS = "RootFS"
        case metadata = "Metadata"
    }

    /// The image config as dockerd shows it: every field, with nulls where the image sets nothing.
    public struct Config: Hashable, Sendable, Codable {
        /// Empty for images.
        public var hostname = ""
        /// Empty for images.
        public var domainname = ""
        /// The user.
        public var user = ""
        /// False for images.
        public var attachStdin = false
        /// False for images.
        public var attachStdout = false
        /// False for images.
        public var attachStderr = false
        /// Exposed ports, omitted when none.
        public var exposedPorts: [String: ContainerConfig.EmptyObject]?
        /// False for images.
        public var tty = false
        /// False for images.
        public var openStdin = false
        /// False for images.
        public var stdinOnce = false
        /// `NAME=value` pairs or null.
        public var env: [String]?
        /// The command or null.
        public var cmd: [String]?
        /// The image a commit came from, or empty.
        public var image = ""
        /// Volumes or null.
        public var volumes: [String: ContainerConfig.EmptyObject]?
        /// The working directory.
        public var workingDir = ""
        /// The entrypoint or null.
        public var entrypoint: [String]?
        /// The image's `ONBUILD` triggers, or null.
        public var onBuild: [String]?
        /// Labels or null.
        public var labels: [String: String]?
        /// The stop signal, omitted when none.
        public var stopSignal: String?
        /// The health check, omitted when none.
        public var healthcheck: ContainerConfig.Healthcheck?

        enum CodingKeys: String, CodingKey {
            case hostname = "Hostname"
            case domainname = "Domainname"
            case user = "User"
            case attachStdin = "AttachStdin"
            case attachStdout = "AttachStdout"
            case attachStderr = "AttachStderr"
            case exposedPorts = "ExposedPorts"
            case tty = "Tty"
            case openStdin = "OpenStdin"
            case stdinOnce = "StdinOnce"
            case env = "Env"
            case cmd = "Cmd"
            case image = "Image"
            case volumes = "Volumes"
            case workingDir = "WorkingDir"
            case entrypoint = "Entrypoint"
            case onBuild = "OnBuild"
            case labels = "Labels"
            case stopSignal = "StopSignal"
            case healthcheck = "Healthcheck"
        }

        /// The inspect form of an image's run defaults.
        public init(_ config: ContainerConfig?) {
            user = config?.user ?? ""
            exposedPorts = config?.exposedPorts
            env = config?.env
            cmd = config?.cmd
            volumes = config?.volumes
            workingDir = config?.workingDir ?? ""
            entrypoint = config?.entrypoint
            labels = config?.labels
            stopSignal = config?.stopSignal
            onBuild = config?.onBuild
            healthcheck = config?.healthcheck
        }

        /// Encodes in dockerd's field order, with explicit nulls.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(hostname, forKey: .hostname)
            try container.encode(domainname, forKey: .domainname)
            try container.encode(user, forKey: .user)
            try container.encode(attachStdin, forKey: .attachStdin)
            try container.encode(attachStdout, forKey: .attachStdout)
            try container.encode(attachStderr, forKey: .attachStderr)
            try container.encodeIfPresent(exposedPorts, forKey: .exposedPorts)
            try container.encode(tty, forKey: .tty)
            try container.encode(openStdin, forKey: .openStdin)
            try container.encode(stdinOnce, forKey: .stdinOnce)
            try container.encode(env, forKey: .env)
            try container.encode(cmd, forKey: .cmd)
            try container.encode(image, forKey: .image)
            try container.encode(volumes, forKey: .volumes)
            try container.encode(workingDir, forKey: .workingDir)
            try container.encode(entrypoint, forKey: .entrypoint)
            try container.encode(onBuild, forKey: .onBuild)
            try container.encode(labels, forKey: .labels)
            try container.encodeIfPresent(stopSignal, forKey: .stopSignal)
            try container.encodeIfPresent(healthcheck, forKey: .healthcheck)
        }
    }

    /// The storage driver and its directories.
    public struct GraphDriver: Hashable, Sendable, Codable {
        /// Driver directories, such as `LowerDir` (overlay order, `:`-separated).
        public var data: [String: String]
        /// `overlay2`.
        public var name: String

        enum CodingKeys: String, CodingKey {
            case data = "Data"
            case name = "Name"
        }
    }

    /// The layer list.
    public struct RootFS: Hashable, Sendable, Codable {
        /// `layers`.
        public var type: String
        /// The diff ids, `sha256:<hex>`, bottom first.
        public var layers: [String]

        enum CodingKeys: String, CodingKey {
            case type = "Type"
            case layers = "Layers"
        }
    }

    /// Store metadata.
    public struct Metadata: Hashable, Sendable, Codable {
        /// When the image was last tagged; `0001-01-01T00:00:00Z` when unknown.
        public var lastTagTime: String

        enum CodingKeys: String, CodingKey {
            case lastTagTime = "LastTagTime"
        }
    }

    /// The inspect view of `image`; `lowerDirectories` are the unpacked layer paths, top first.
    public init(_ image: Image, lowerDirectories: [String]) {
        let configuration = image.configuration
        id = image.id.description
        repoTags = image.references.map(\.description)
        repoDigests = image.repoDigests
        parent = image.manifestDescriptor.annotations?[ImageStore.parentAnnotation] ?? ""
        comment = configuration.comment ?? configuration.history?.last?.comment ?? ""
        created = image.created.rfc3339
        container = ""
        containerConfig = Config(nil)
        dockerVersion = ""
        author = configuration.author ?? ""
        config = Config(configuration.config)
        architecture = configuration.architecture
        os = configuration.os
        size = image.size
        virtualSize = image.size
        graphDriver = GraphDriver(data: ["LowerDir": lowerDirectories.joined(separator: ":")], name: "overlay2")
        rootFS = RootFS(type: configuration.rootfs.type, layers: configuration.rootfs.diffIDs.map(\.description))
        metadata = Metadata(lastTagTime: "0001-01-01T00:00:00Z")
    }
}
