/// `GET /volumes`: `{"Volumes":[...],"Warnings":null}` (`vol-ls.txt`).
public struct VolumeListResponse: Codable, Sendable, Equatable {
    /// The volumes.
    public var Volumes: [Volume]
    /// Warnings; absent when none.
    public var Warnings: [String]?

    /// Creates a list answer.
    public init(Volumes: [Volume], Warnings: [String]? = nil) {
        self.Volumes = Volumes
        self.Warnings = Warnings
    }
}
