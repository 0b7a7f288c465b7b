extension ImageStore {
    /// What `system df` reports about layers: the bytes of every distinct layer (by diff ID) and, per image ID,
    /// the bytes of its layers that another image uses too (dockerd's `SharedSize`).
    public func layerUsage() throws(ImageError) -> (layersSize: Int64, sharedSize: [String: Int64]) {
        let images = try allImages()
        var users: [Digest: Int] = [:]
        var sizes: [Digest: Int64] = [:]
        for image in images {
            for layer in Set(image.layers.map(\.diffID)) { users[layer, default: 0] += 1 }
            for layer in image.layers { sizes[layer.diffID] = layer.uncompressedSize }
        }
        var shared: [String: Int64] = [:]
        for image in images {
            let layers = Dictionary(image.layers.map { ($0.diffID, $0.uncompressedSize) }) { first, _ in first }
            shared[image.id.description] = layers.filter { (users[$0.key] ?? 0) > 1 }.values.reduce(0, +)
        }
        return (sizes.values.reduce(0, +), shared)
    }
}
