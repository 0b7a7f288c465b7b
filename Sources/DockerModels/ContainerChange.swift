/// One entry of `GET /containers/{id}/changes`: Kind 0 = changed, 1 = added, 2 = deleted.
public struct ContainerChange: Codable, Sendable, Equatable {
    /// Path in the container.
    public var Path: String
    /// 0 changed, 1 added, 2 deleted.
    public var Kind: Int
    /// Creates a change.
    public init(Path: String, Kind: Int) {
        self.Path = Path
        self.Kind = Kind
    }
}
