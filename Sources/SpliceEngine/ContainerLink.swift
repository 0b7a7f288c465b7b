/// A legacy `--link name:alias`, resolved at create time to the linked container's id.
public struct ContainerLink: Codable, Sendable, Equatable {
    /// The linked container's id.
    public var targetID: String
    /// The linked container's name when the link was made (without `/`).
    public var targetName: String
    /// The name the linking container knows it by.
    public var alias: String

    /// Creates a link.
    public init(targetID: String, targetName: String, alias: String) {
        self.targetID = targetID
        self.targetName = targetName
        self.alias = alias
    }
}
