import DockerModels

/// `docker images` output.
public enum ImageTable {
    /// Renders the table (or unique IDs with `quiet`) exactly as the docker CLI does.
    public static func render(_ images: [ImageSummary], now: Int64, quiet: Bool, truncate: Bool) -> String {
        func shortID(_ id: String) -> String {
            truncate ? String((id.hasPrefix("sha256:") ? id.dropFirst(7) : Substring(id)).prefix(12)) : id
        }
        if quiet {
            var seen: Set<String> = []
            return images.compactMap { seen.insert($0.Id).inserted ? shortID($0.Id) + "\n" : nil }.joined()
        }
        var table = TableWriter()
        table.append(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"])
        for image in images {
            let tags = image.RepoTags.filter { $0 != "<none>:<none>" }
            let created = HumanUnits.ago(image.Created, now: now)
            let size = HumanUnits.size(image.Size)
            if tags.isEmpty {
                table.append(["<none>", "<none>", shortID(image.Id), created, size])
            }
            for reference in tags {
                let (repository, tag) = split(reference)
                table.append([repository, tag, shortID(image.Id), created, size])
            }
        }
        return table.render()
    }

    /// Splits `repo:tag` at the last colon after the last slash; a missing tag is `<none>`.
    public static func split(_ reference: String) -> (String, String) {
        let slash = reference.lastIndex(of: "/") ?? reference.startIndex
        guard let colon = reference[slash...].lastIndex(of: ":") else { return (reference, "<none>") }
        return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
    }
}
