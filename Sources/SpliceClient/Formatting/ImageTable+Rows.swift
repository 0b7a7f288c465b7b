import DockerModels
import JSONKit

extension ImageTable {
    /// Column titles of `images --format 'table …'`, by field.
    public static let header = JSONValue.object([
        ("ID", "IMAGE ID"), ("Repository", "REPOSITORY"), ("Tag", "TAG"), ("Digest", "DIGEST"),
        ("CreatedSince", "CREATED"), ("CreatedAt", "CREATED AT"), ("Size", "SIZE"), ("Containers", "CONTAINERS"),
    ].map { JSONValue.Member($0.0, .string($0.1)) })

    /// The rows `images --format` sees: one per repository tag (one `<none>` row for an untagged image), with
    /// docker's fields `ID`, `Repository`, `Tag`, `Digest`, `CreatedSince`, `CreatedAt`, `Size`, `Containers`.
    public static func rows(_ images: [ImageSummary], now: Int64, truncate: Bool) -> [JSONValue] {
        images.flatMap { image -> [JSONValue] in
            let id = truncate ? String((image.Id.hasPrefix("sha256:") ? image.Id.dropFirst(7) : Substring(image.Id))
                .prefix(12)) : image.Id
            let digest = image.RepoDigests.first.flatMap { $0.split(separator: "@").last.map(String.init) } ?? "<none>"
            let tags = image.RepoTags.filter { $0 != "<none>:<none>" }
            let pairs = tags.isEmpty ? [("<none>", "<none>")] : tags.map(split)
            return pairs.map { repository, tag in
                let fields: [(String, String)] = [
                    ("ID", id), ("Repository", repository), ("Tag", tag), ("Digest", digest),
                    ("CreatedSince", HumanUnits.ago(image.Created, now: now)),
                    ("CreatedAt", ContainerTable.goTime(image.Created)), ("Size", HumanUnits.size(image.Size)),
                    ("Containers", image.Containers < 0 ? "N/A" : String(image.Containers)),
                ]
                return .object(fields.map { JSONValue.Member($0.0, .string($0.1)) })
            }
        }
    }
}
