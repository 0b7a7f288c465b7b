/// `GET /system/df` (`system-df.txt`): the space images, containers and volumes use.
public struct DiskUsage: Codable, Sendable, Equatable {
    /// Bytes of every image layer, each once.
    public var LayersSize: Int64
    /// Images, with `Containers` and `SharedSize` filled.
    public var Images: [ImageSummary]
    /// Containers (all states), with `SizeRw` and `SizeRootFs`.
    public var Containers: [ContainerSummary]
    /// Volumes, with `UsageData`.
    public var Volumes: [Volume]
    /// Build cache records; always empty here (no builder); dockerd 20.10 sent `null`.
    public var BuildCache: [EmptyObject]?
    /// Bytes of the build cache.
    public var BuilderSize: Int64

    /// Creates a disk usage answer.
    public init(LayersSize: Int64, Images: [ImageSummary], Containers: [ContainerSummary], Volumes: [Volume]) {
        self.LayersSize = LayersSize
        self.Images = Images
        self.Containers = Containers
        self.Volumes = Volumes
        self.BuildCache = []
        self.BuilderSize = 0
    }
}
