import DockerModels

extension DockerModels.ImageInspect {
    /// What `docker inspect` shows for `image`; `lowerDirectories` are the unpacked layer paths, top first.
    init(_ image: Image, lowerDirectories: [String]) {
        self.init()
        let configuration = image.configuration
        Id = image.id.description
        RepoTags = image.references.map(\.description)
        RepoDigests = image.repoDigests
        Parent = image.manifestDescriptor.annotations?[ImageStore.parentAnnotation] ?? ""
        Comment = configuration.comment ?? configuration.history?.last?.comment ?? ""
        Created = image.created.rfc3339
        Container = ""
        ContainerConfig = DockerModels.ContainerConfig(image: nil)
        DockerVersion = ""
        Author = configuration.author ?? ""
        Config = DockerModels.ContainerConfig(image: configuration.config)
        Architecture = configuration.architecture
        Os = configuration.os
        Size = image.size
        VirtualSize = image.size
        self.GraphDriver.Data = ["LowerDir": lowerDirectories.joined(separator: ":")]
        self.GraphDriver.Name = "overlay2"
        self.RootFS.Type = configuration.rootfs.type
        self.RootFS.Layers = configuration.rootfs.diffIDs.map(\.description)
        self.Metadata.LastTagTime = "0001-01-01T00:00:00Z"
    }
}
