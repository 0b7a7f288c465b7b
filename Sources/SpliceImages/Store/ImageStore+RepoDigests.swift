extension ImageStore {
    /// Records that image `id` is `repoDigest` (`repository@sha256:…`) in a registry, as a push tells dockerd.
    public func addRepoDigest(_ repoDigest: String, to id: ImageID) throws(ImageError) {
        try updateIndex { (index: inout ImageIndex) throws(ImageError) in
            index.addRepoDigest(repoDigest, to: id)
        }
    }
}
