/// A bind mount into the container (a volume).
public struct BindMount: Codable, Sendable, Equatable {
    /// The host path.
    public var source: String
    /// The absolute path inside the container.
    public var target: String
    /// Whether the container sees it read-only.
    public var readOnly: Bool

    /// Creates a bind mount.
    public init(source: String, target: String, readOnly: Bool = false) {
        self.source = source
        self.target = target
        self.readOnly = readOnly
    }
}
