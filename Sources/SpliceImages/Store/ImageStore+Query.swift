import struct DockerModels.ImageHistoryItem
import struct DockerModels.ImageInspect
import struct DockerModels.ImageSummary

extension ImageStore {
    /// The images `docker images` lists, newest first; without `all`, untagged images that other images were
    /// built on (a build's intermediate steps) are left out, as dockerd leaves them out.
    public func images(all: Bool = false, filters: ImageFilters = ImageFilters()) throws(ImageError) -> [ImageSummary] {
        var rows: [(Timestamp, ImageSummary)] = []
        let images = try allImages()
        // Untagged images that others were built on (a build's intermediate steps) are listed only with `all`.
        let parents = Set(images.compactMap { $0.manifestDescriptor.annotations?[ImageStore.parentAnnotation] })
        for image in images where all || !image.references.isEmpty || !parents.contains(image.id.description) {
            guard let tags = filters.select(image) else { continue }
            rows.append((image.created, ImageSummary(image, tags: tags)))
        }
        return rows.sorted { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1.Id < $1.1.Id) }.map(\.1)
    }

    /// What `docker inspect <image>` shows for the image `name` names.
    public func inspect(_ name: String) throws(ImageError) -> ImageInspect {
        let image = try image(named: name)
        return ImageInspect(image, lowerDirectories: image.layers.reversed().map { layerPaths($0).diff })
    }
}

extension ImageStore {
    /// The history of the image `name` names, newest step first, as `docker history` shows it.
    public func history(of name: String) throws(ImageError) -> [ImageHistoryItem] {
        let image = try image(named: name)
        var sizes = image.layers.map(\.uncompressedSize).makeIterator()
        var rows: [ImageHistoryItem] = []
        for step in image.configuration.history ?? [] {
            let size = step.emptyLayer == true ? 0 : sizes.next() ?? 0
            rows.append(
                ImageHistoryItem(
                    Id: "<missing>", Created: step.created.flatMap { Timestamp(rfc3339: $0) }?.seconds ?? 0,
                    CreatedBy: step.createdBy ?? "", Tags: nil, Size: size, Comment: step.comment ?? ""))
        }
        rows.reverse()
        if !rows.isEmpty {
            rows[0].Id = image.id.description
            rows[0].Tags = image.references.map(\.description)
        }
        return rows
    }
}
