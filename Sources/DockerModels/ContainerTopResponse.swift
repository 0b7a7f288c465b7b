/// `GET /containers/{id}/top` body: `{"Titles": [...], "Processes": [[...]]}`.
public struct ContainerTopResponse: Codable, Sendable, Equatable {
    /// Column titles.
    public var Titles: [String]
    /// One row per process.
    public var Processes: [[String]]
    /// Creates a top response.
    public init(Titles: [String], Processes: [[String]]) {
        self.Titles = Titles
        self.Processes = Processes
    }
}
