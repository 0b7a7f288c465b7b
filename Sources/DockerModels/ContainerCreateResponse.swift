/// `201 {"Id": "<64hex>", "Warnings": []}` answered by `POST /containers/create`.
public struct ContainerCreateResponse: Codable, Sendable, Equatable {
    /// Full container ID.
    public var Id: String
    /// Warnings the CLI prints as `WARNING: ...`.
    public var Warnings: [String]
    /// Creates a create response.
    public init(Id: String, Warnings: [String] = []) {
        self.Id = Id
        self.Warnings = Warnings
    }
}
