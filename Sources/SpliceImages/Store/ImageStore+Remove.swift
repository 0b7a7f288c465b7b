import Glibc
import SystemKit

extension ImageStore {
    /// Gives the image `source` names the tag `target` (`docker tag`), moving the tag off any other image.
    public func tag(source: String, target: String) throws(ImageError) {
        let reference = try ImageReference(parsing: target)
        try ImageStore.validateTag(reference)
        try updateIndex { (index) throws(ImageError) in
            let id = try resolve(source, in: index).id
            guard let descriptor = index.manifestDescriptor(of: id) else { throw .noSuchImage(source) }
            index.setReference(reference.description, to: descriptor)
        }
    }

    /// Removes a tag or an image as `docker rmi` does: a name with other tags left is only untagged; the last tag
    /// or an id deletes the image, unless a container uses it (`isInUse` returns their ids) and `force` is off.
    /// Unless `prune` is off (`--no-prune`), its untagged parents (a build's step images) that no other image
    /// builds on and no container uses go with it, as dockerd's. Unreferenced blobs and unpacked layers are
    /// collected afterwards.
    public func remove(reference name: String, force: Bool = false, prune: Bool = true,
                       isInUse: (ImageID) -> [String] = { _ in [] }) throws(ImageError) -> [RemovalEvent]
    {
        let events = try updateIndex { (index) throws(ImageError) -> [RemovalEvent] in
            let resolution = try resolve(name, in: index)
            let id = resolution.id
            let tags = index.references(of: id)
            if let reference = resolution.reference?.description {
                if tags.count > 1 {
                    index.removeReference(reference)
                    return [.untagged(reference)]
                }
                if !force, let user = isInUse(id).first {
                    throw ImageError(
                        .conflict,
                        "conflict: unable to remove repository reference \"\(reference)\" (must force) - container "
                            + "\(user.prefix(12)) is using its referenced image \(id.shortID)")
                }
            } else if !force {
                if tags.count > 1 {
                    throw ImageError(
                        .conflict,
                        "conflict: unable to delete \(id.shortID) (must be forced) - "
                            + "image is referenced in multiple repositories")
                }
                if let user = isInUse(id).first {
                    throw ImageError(
                        .conflict,
                        "conflict: unable to delete \(id.shortID) (must be forced) - "
                            + "image is being used by stopped container \(user.prefix(12))")
                }
            }
            var parent = Self.parent(of: id, in: index)
            index.removeImage(id)
            var events = tags.map { RemovalEvent.untagged($0) } + [.deleted(id.description)]
            while prune, let candidate = parent, index.imageIDs.contains(candidate),
                  index.references(of: candidate).isEmpty, isInUse(candidate).isEmpty,
                  !index.imageIDs.contains(where: { Self.parent(of: $0, in: index) == candidate }) {
                parent = Self.parent(of: candidate, in: index)
                index.removeImage(candidate)
                events.append(.deleted(candidate.description))
            }
            return events
        }
        try collectGarbage()
        return events
    }

    /// The image `id` was built or committed on, if recorded.
    static func parent(of id: ImageID, in index: ImageIndex) -> ImageID? {
        index.manifestDescriptor(of: id)?.annotations?[parentAnnotation].flatMap { Digest(parsing: $0) }
    }

    /// Deletes blobs no manifest in `index.json` reaches, unpacked layers no image uses, and ingest leftovers older
    /// than a day.
    public func collectGarbage() throws(ImageError) {
        try withLock { () throws(ImageError) in
            let index = try readIndex()
            var liveBlobs: Set<Digest> = []
            var liveLayers: Set<String> = []
            for id in index.imageIDs {
                let image = try image(id, in: index)
                liveBlobs.insert(image.manifestDescriptor.digest)
                liveBlobs.insert(image.manifest.config.digest)
                for layer in image.layers {
                    liveBlobs.insert(layer.blob.digest)
                    liveLayers.insert(layer.diffID.hex)
                }
            }
            for digest in blobs.digests() where !liveBlobs.contains(digest) { try blobs.remove(digest) }
            for name in Directory.entries(layersDirectory) {
                let hex = name.hasSuffix(".lock") ? String(name.dropLast(".lock".count)) : name
                if !liveLayers.contains(hex) { try PathTree.removeTree("\(layersDirectory)/\(name)") }
            }
            let dayAgo = Timestamp.now().seconds - 86_400
            for name in Directory.entries(blobs.ingestDirectory) {
                var info = stat()
                let path = "\(blobs.ingestDirectory)/\(name)"
                if lstat(path, &info) == 0, Int64(info.st_mtim.tv_sec) < dayAgo { unlink(path) }
            }
        }
    }
}
