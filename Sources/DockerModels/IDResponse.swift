/// `201 {"Id": "<64hex>"}` answered by `POST /containers/{id}/exec`.
public struct IDResponse: Codable, Sendable, Equatable {
    /// The new object's ID.
    public var Id: String
    /// Creates an ID response.
    public init(Id: String) { self.Id = Id }
}
