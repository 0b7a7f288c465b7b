import Glibc

/// The filters of `docker images`: `dangling=true|false` and `reference=<glob>` (any pattern may match).
public struct ImageFilters: Hashable, Sendable {
    /// Only untagged images (true) or only tagged ones (false).
    public var dangling: Bool?
    /// Glob patterns matched as dockerd does against `repository` and `repository:tag` (`*` stops at `/`).
    public var references: [String]

    /// Creates filters; no filters lists everything.
    public init(dangling: Bool? = nil, references: [String] = []) {
        self.dangling = dangling
        self.references = references
    }

    /// Parses the string filters of the API (`{"dangling":{"true":true}}` gives `dangling: ["true"]`).
    public init(_ filters: [String: [String]]) throws(ImageError) {
        self.init()
        for (name, values) in filters {
            switch name {
            case "dangling":
                for value in values {
                    switch value.lowercased() {
                    case "true", "1": dangling = true
                    case "false", "0": dangling = false
                    default: throw ImageError(.invalidArgument, "Invalid filter 'dangling=\(value)'")
                    }
                }
            case "reference": references += values
            default: throw ImageError(.invalidArgument, "Invalid filter '\(name)'")
            }
        }
    }

    /// The tags of `image` the reference patterns select (all tags when there are no patterns).
    func matchingTags(of image: Image) -> [String] {
        let tags = image.references.map(\.description)
        guard !references.isEmpty else { return tags }
        return image.references.filter { reference in
            references.contains { pattern in
                ImageFilters.matches(pattern, reference.repository)
                    || ImageFilters.matches(pattern, reference.description)
            }
        }.map(\.description)
    }

    /// Whether `image` passes, and the tags to show for it.
    func select(_ image: Image) -> [String]? {
        let isDangling = image.references.isEmpty
        if let dangling, dangling != isDangling { return nil }
        if references.isEmpty { return image.references.map(\.description) }
        let tags = matchingTags(of: image)
        return tags.isEmpty ? nil : tags
    }

    /// Glob matching as Go's `path.Match`. Wraps `fnmatch(3)` with `FNM_PATHNAME`.
    static func matches(_ pattern: String, _ text: String) -> Bool { fnmatch(pattern, text, FNM_PATHNAME) == 0 }
}
