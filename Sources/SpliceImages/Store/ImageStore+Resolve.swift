extension ImageStore {
    /// What a name resolved to: the image, and the tag when it was resolved through one.
    struct Resolution {
        /// The image.
        let id: ImageID
        /// The tag, when the name was a reference rather than an id.
        let reference: ImageReference?
    }

    /// The id of the image `name` names: a full id (`sha256:<hex>` or 64 hex), a reference (`bb`, `bb:latest`,
    /// `127.0.0.1:5000/x:tag`), or else a unique id prefix. Name lookups come before prefixes, as in dockerd.
    public func resolve(_ name: String) throws(ImageError) -> ImageID {
        try resolve(name, in: readIndex()).id
    }

    /// Resolves `name` against `index`.
    func resolve(_ name: String, in index: ImageIndex) throws(ImageError) -> Resolution {
        let ids = index.imageIDs
        if name.hasPrefix("sha256:") {
            let hex = String(name.dropFirst("sha256:".count))
            guard !hex.isEmpty, hex.utf8.allSatisfy(Digest.isHexDigit) else { throw .noSuchImage(name) }
            return Resolution(id: try uniquePrefix(hex, among: ids, name: name), reference: nil)
        }
        if let id = Digest(hex: name) {
            guard ids.contains(id) else { throw .noSuchImage(name) }
            return Resolution(id: id, reference: nil)
        }
        let isHex = !name.isEmpty && name.utf8.allSatisfy(Digest.isHexDigit)
        let reference: ImageReference
        do {
            reference = try ImageReference(parsing: name)
        } catch {
            if isHex { return Resolution(id: try uniquePrefix(name, among: ids, name: name), reference: nil) }
            throw error
        }
        if let id = index.imageID(for: reference.description) { return Resolution(id: id, reference: reference) }
        if isHex, ids.contains(where: { $0.hex.hasPrefix(name) }) {
            return Resolution(id: try uniquePrefix(name, among: ids, name: name), reference: nil)
        }
        throw .noSuchImage(reference.description)
    }

    /// The one id starting with `prefix`; `notFound` for none, `invalidArgument` when several match.
    private func uniquePrefix(_ prefix: String, among ids: [ImageID], name: String) throws(ImageError) -> ImageID {
        let matches = ids.filter { $0.hex.hasPrefix(prefix) }
        guard let first = matches.first else { throw .noSuchImage(name) }
        guard matches.count == 1 else {
            throw ImageError(
                .invalidArgument, "ambiguous image ID prefix \"\(name)\": it matches \(matches.count) images")
        }
        return first
    }
}
