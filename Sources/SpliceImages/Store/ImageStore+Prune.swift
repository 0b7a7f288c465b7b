extension ImageStore {
    /// `docker image prune`: deletes the dangling images (untagged, and no other image's parent), or every image
    /// with `all`, that no container uses (`isInUse` returns their ids) and `eligible` accepts (the request's
    /// `until` and `label` filters), then collects unreferenced blobs and layers. Returns what was untagged and
    /// deleted, and the uncompressed bytes of the layers no image keeps.
    public func prune(all: Bool, eligible: (Image) -> Bool = { _ in true }, isInUse: (ImageID) -> Bool)
        throws(ImageError) -> (events: [RemovalEvent], reclaimed: Int64)
    {
        let (events, reclaimed) = try updateIndex { (index) throws(ImageError) -> ([RemovalEvent], Int64) in
            var events: [RemovalEvent] = []
            var removedLayers: [Digest: Int64] = [:]
            let parents = Set(index.imageIDs.compactMap { Self.parent(of: $0, in: index) })
            for id in index.imageIDs where !isInUse(id) {
                let tags = index.references(of: id)
                guard all || (tags.isEmpty && !parents.contains(id)) else { continue }
                let image = try image(id, in: index)
                guard eligible(image) else { continue }
                for layer in image.layers { removedLayers[layer.diffID] = layer.uncompressedSize }
                index.removeImage(id)
                events += tags.map { RemovalEvent.untagged($0) } + [.deleted(id.description)]
            }
            for id in index.imageIDs {
                for layer in try image(id, in: index).layers { removedLayers[layer.diffID] = nil }
            }
            return (events, removedLayers.values.reduce(0, +))
        }
        try collectGarbage()
        return (events, reclaimed)
    }
}
