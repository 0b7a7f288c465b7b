/// `GET /images/{name}/json` body (`inspect-image.txt`).
public struct ImageInspect: Codable, Sendable, Equatable {
    /// `RootFS` block.
    public struct RootFS: Codable, Sendable, Equatable {
        /// Always `layers`.
        public var `Type`: String = "layers"
        /// Diff IDs, bottom first.
        public var Layers: [String] = []
        /// Creates an empty rootfs.
        public init() {}
    }

    /// `Metadata` block.
    public struct Metadata: Codable, Sendable, Equatable {
        /// Last tag time, RFC 3339 nano.
        public var LastTagTime: String = ContainerInspect.zeroTime
        /// Creates metadata.
        public init() {}
    }

    /// Image ID.
    public var Id: String = ""
    /// Tags.
    public var RepoTags: [String] = []
    /// Digests.
    public var RepoDigests: [String] = []
    /// Parent image ID.
    public var Parent: String = ""
    /// Commit comment.
    public var Comment: String = ""
    /// Creation time, RFC 3339 nano.
    public var Created: String = ContainerInspect.zeroTime
    /// Source container of a commit.
    public var Container: String = ""
    /// Config of the source container.
    public var ContainerConfig: ContainerConfig = .init()
    /// Builder version.
    public var DockerVersion: String = ""
    /// Commit author.
    public var Author: String = ""
    /// Image config.
    public var Config: ContainerConfig = .init()
    /// Architecture.
    public var Architecture: String = ""
    /// OS.
    public var Os: String = "linux"
    /// Size in bytes.
    public var Size: Int64 = 0
    /// Same as `Size`.
    public var VirtualSize: Int64 = 0
    /// Graph driver.
    public var GraphDriver: ContainerInspect.GraphDriver = ContainerInspect.GraphDriver()
    /// Root filesystem layers.
    public var RootFS: RootFS = RootFS()
    /// Metadata.
    public var Metadata: Metadata = Metadata()

    /// Creates an empty inspect body.
    public init() {}
}
