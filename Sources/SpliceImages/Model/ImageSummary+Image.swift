import struct DockerModels.ImageSummary

extension ImageSummary {
    /// The `docker images` row of `image`, showing `tags` (all its tags, or those a filter matched); an untagged
    /// image shows `<none>:<none>` and `<none>@<none>`, as dockerd 20.10 sends.
    init(_ image: Image, tags: [String]) {
        self.init()
        Id = image.id.description
        ParentId = ""
        RepoTags = image.references.isEmpty ? ["<none>:<none>"] : tags
        RepoDigests = !image.repoDigests.isEmpty ? image.repoDigests : image.references.isEmpty ? ["<none>@<none>"] : []
        Created = image.created.seconds
        Size = image.size
        VirtualSize = image.size
        SharedSize = -1
        Labels = image.configuration.config?.labels
        Containers = -1
    }
}
