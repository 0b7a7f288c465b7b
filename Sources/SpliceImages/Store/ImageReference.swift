/// A Docker image reference normalised as Docker does: `bb` is `bb:latest`, `docker.io/library/bb` is `bb`, and a
/// registry host (with a port, such as `127.0.0.1:5000/x:tag`) is kept.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// The registry host (and port) when it is not Docker Hub, such as `127.0.0.1:5000`.
    public let domain: String?
    /// The repository path within the registry, without Docker Hub's `library/` prefix: `bb`, `user/app`.
    public let path: String
    /// The tag; `latest` when the text had neither tag nor digest.
    public let tag: String?
    /// The content digest of a `name@sha256:...` reference.
    public let digest: Digest?

    /// The default registry's name.
    public static let defaultDomain = "docker.io"

    /// Parses and normalises `text`; throws `invalidArgument` in Docker's words when it is not a reference.
    public init(parsing text: String) throws(ImageError) {
        func invalid(_ why: String) -> ImageError { ImageError(.invalidArgument, "invalid reference format\(why)") }
        var remainder = Substring(text)
        var digest: Digest?
        if let at = remainder.firstIndex(of: "@") {
            guard let parsed = Digest(parsing: String(remainder[remainder.index(after: at)...])) else {
                throw invalid("")
            }
            digest = parsed
            remainder = remainder[..<at]
        }
        var tag: String?
        if let colon = remainder.lastIndex(of: ":"), !remainder[colon...].contains("/") {
            let candidate = String(remainder[remainder.index(after: colon)...])
            guard ImageReference.isValidTag(candidate) else { throw invalid("") }
            tag = candidate
            remainder = remainder[..<colon]
        }
        guard !remainder.isEmpty else { throw invalid("") }
        var components = remainder.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var domain: String?
        if components.count > 1, let first = components.first,
            first.contains(".") || first.contains(":") || first == "localhost" || first.contains(where: \.isUppercase)
        {
            domain = first
            components.removeFirst()
        }
        if domain == "index.docker.io" || domain == ImageReference.defaultDomain { domain = nil }
        if domain == nil, components.count == 2, components[0] == "library" { components.removeFirst() }
        for component in components {
            if component.contains(where: \.isUppercase) { throw invalid(": repository name must be lowercase") }
            guard ImageReference.isValidComponent(component) else { throw invalid("") }
        }
        if let domain, !ImageReference.isValidDomain(domain) { throw invalid("") }
        let path = components.joined(separator: "/")
        guard (domain.map { $0.count + 1 } ?? 0) + path.count <= 255 else {
            throw invalid(": repository name must not be more than 255 characters")
        }
        self.domain = domain
        self.path = path
        self.tag = tag ?? (digest == nil ? "latest" : nil)
        self.digest = digest
    }

    /// Creates a reference from already valid parts.
    init(domain: String?, path: String, tag: String?, digest: Digest? = nil) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// The repository as `docker images` shows it: `bb`, `user/app`, `127.0.0.1:5000/bb`.
    public var repository: String { domain.map { "\($0)/\(path)" } ?? path }

    /// The fully qualified repository for registry requests: `docker.io/library/bb`.
    public var qualifiedRepository: String {
        if let domain { return "\(domain)/\(path)" }
        return path.contains("/")
            ? "\(ImageReference.defaultDomain)/\(path)" : "\(ImageReference.defaultDomain)/library/\(path)"
    }

    /// The familiar text: `bb:latest`, `127.0.0.1:5000/x:tag`, or `bb@sha256:...`.
    public var description: String {
        var text = repository
        if let tag { text += ":" + tag }
        if let digest { text += "@" + digest.description }
        return text
    }

    /// The same repository with another tag.
    public func withTag(_ tag: String) -> ImageReference { ImageReference(domain: domain, path: path, tag: tag) }

    /// A tag is `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, bytes.count <= 128, isWord(first) else { return false }
        return bytes.allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// A path component is lowercase alphanumerics joined by `.`, `_`, `__` or runs of `-`.
    static func isValidComponent(_ component: String) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last)
        else { return false }
        var index = 0
        while index < bytes.count {
            if isLowerAlphanumeric(bytes[index]) {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, !isLowerAlphanumeric(bytes[end]) { end += 1 }
            let separator = String(decoding: bytes[index..<end], as: UTF8.self)
            let dashes = separator.allSatisfy { $0 == "-" }
            guard separator == "." || separator == "_" || separator == "__" || dashes else { return false }
            index = end
        }
        return true
    }

    /// A domain is host labels joined by dots, optionally with `:port`.
    static func isValidDomain(_ domain: String) -> Bool {
        var host = Substring(domain)
        if let colon = domain.lastIndex(of: ":") {
            let port = domain[domain.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber) else { return false }
            host = domain[..<colon]
        }
        return !host.isEmpty
            && host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                !label.isEmpty && label.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
            }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isWord(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == UInt8(ascii: "_") }
}
